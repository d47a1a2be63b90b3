#include "io/xdmf.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace pinnkit::io {

namespace {

std::string xml_escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

void data_item(std::ostream& out, const std::string& dims, const std::string& h5_file,
               const std::string& dataset) {
  out << "        <DataItem Dimensions=\"" << dims
      << "\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">" << xml_escaped(h5_file) << ":"
      << xml_escaped(dataset) << "</DataItem>\n";
}

}  // namespace

std::string xdmf_text(const XdmfPoints& p) {
  PINNKIT_CHECK(p.components == 2 || p.components == 3, "XDMF geometry needs 2 or 3 components");
  const std::string m = std::to_string(p.count);
  std::ostringstream out;
  out << "<?xml version=\"1.0\" ?>\n"
      << "<!DOCTYPE Xdmf SYSTEM \"Xdmf.dtd\" []>\n"
      << "<Xdmf Version=\"3.0\" xmlns:xi=\"http://www.w3.org/2001/XInclude\">\n"
      << "  <Domain>\n"
      << "    <Grid Name=\"eval\" GridType=\"Uniform\">\n"
      << "      <Topology TopologyType=\"Polyvertex\" NumberOfElements=\"" << m
      << "\" NodesPerElement=\"1\"/>\n"
      << "      <Geometry GeometryType=\"" << (p.components == 2 ? "XY" : "XYZ") << "\">\n";
  data_item(out, m + " " + std::to_string(p.components), p.h5_file, p.geometry_dataset);
  out << "      </Geometry>\n";
  for (const XdmfField& field : p.fields) {
    out << "      <Attribute Name=\"" << xml_escaped(field.name)
        << "\" AttributeType=\"Scalar\" Center=\"Node\">\n";
    data_item(out, m, p.h5_file, field.dataset);
    out << "      </Attribute>\n";
  }
  out << "    </Grid>\n  </Domain>\n</Xdmf>\n";
  return out.str();
}

void write_xdmf(const std::string& path, const XdmfPoints& points) {
  const std::string text = xdmf_text(points);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) out << text;
  if (out) out.close();
  if (out) return;
  const int err = errno;
  // The result file is complete by now; a full disk is no bad input.
  if (err == ENOSPC || err == EDQUOT || err == EFBIG)
    throw ResourceError(path + ": cannot write the XDMF sidecar: " + std::strerror(err) +
                        " (the result file it describes is complete)");
  throw InputError(path + ": cannot write the XDMF file: " + std::strerror(err));
}

std::string xdmf_path_for(const std::string& h5_path) {
  for (const std::string ext : {".h5", ".hdf5"}) {
    if (h5_path.size() > ext.size() &&
        h5_path.compare(h5_path.size() - ext.size(), ext.size(), ext) == 0)
      return h5_path.substr(0, h5_path.size() - ext.size()) + ".xdmf";
  }
  return h5_path + ".xdmf";
}

}  // namespace pinnkit::io
