#pragma once
/// \brief The XDMF 3 sidecar that lets ParaView open the evaluation points of
/// a result file: a Polyvertex grid over /eval with one scalar attribute per
/// field. The XDMF refers to the .h5 by its file name only, so the pair can
/// be moved together.
#include <cstddef>
#include <string>
#include <vector>

namespace pinnkit::io {

/// One point attribute: its name in ParaView and its 1-D dataset in the .h5.
struct XdmfField {
  std::string name;
  std::string dataset;  ///< e.g. "/eval/fields/u"
};

/// What the sidecar describes.
struct XdmfPoints {
  std::string h5_file;           ///< file name relative to the .xdmf
  std::size_t count = 0;         ///< number of points M
  std::string geometry_dataset;  ///< M x components, e.g. "/eval/points"
  int components = 3;            ///< 2 (XY) or 3 (XYZ): what ParaView accepts
  std::vector<XdmfField> fields;
};

/// The XML text of the sidecar.
std::string xdmf_text(const XdmfPoints& points);

/// Writes xdmf_text to `path`; throws InputError naming `path` on failure.
void write_xdmf(const std::string& path, const XdmfPoints& points);

/// The sidecar's path for a result file: ".h5"/".hdf5" replaced by ".xdmf",
/// otherwise ".xdmf" appended.
std::string xdmf_path_for(const std::string& h5_path);

}  // namespace pinnkit::io
