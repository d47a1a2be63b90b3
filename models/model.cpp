#include "models/model.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace pinnkit::models {

Model::Model(int in_dim, int out_dim) : in_dim_(in_dim), out_dim_(out_dim) {
  PINNKIT_CHECK(in_dim > 0 && out_dim > 0, "Model: non-positive input or output dimension");
}

Layer& Model::add(std::unique_ptr<Layer> layer) {
  const int width = layers_.empty() ? in_dim_ : layers_.back()->out_features();
  PINNKIT_CHECK(layer && layer->in_features() == width,
                "Model::add: layer " + (layer ? layer->name() : std::string("(null)")) +
                    " does not take " + std::to_string(width) + " features");
  layers_.push_back(std::move(layer));
  buffer_n_ = -1;
  return *layers_.back();
}

std::unique_ptr<Layer> Model::replace_layer(int i, std::unique_ptr<Layer> layer) {
  PINNKIT_CHECK(i >= 0 && i < layer_count(), "Model::replace_layer: index out of range");
  PINNKIT_CHECK(layer && layer->in_features() == layers_[i]->in_features() &&
                    layer->out_features() == layers_[i]->out_features(),
                "Model::replace_layer: the new layer has other widths than " +
                    layers_[i]->name());
  std::swap(layer, layers_[i]);
  return layer;
}

Layer& Model::layer(int i) {
  PINNKIT_CHECK(i >= 0 && i < layer_count(), "Model::layer: index out of range");
  return *layers_[i];
}

int Model::widest_layer() const {
  int w = in_dim_;
  for (const auto& l : layers_) w = std::max(w, l->row_width());
  return w;
}
const Layer& Model::layer(int i) const {
  PINNKIT_CHECK(i >= 0 && i < layer_count(), "Model::layer: index out of range");
  return *layers_[i];
}

void Model::register_params(ParamStore& store) {
  for (auto& l : layers_)
    if (!l->registered()) l->register_params(store);
}

void Model::initialize_params(std::uint64_t seed) {
  for (auto& l : layers_) l->initialize_params(seed);
}

namespace {
// Makes `storage` hold at least `size` entries; it never shrinks, so the
// views carved out of it stay allocation-free across alternating shapes.
void ensure_capacity(View1<Real>& storage, const char* label, std::size_t size) {
  if (storage.extent(0) >= size && storage.data() != nullptr) return;
  storage = View1<Real>(Kokkos::view_alloc(std::string(label), Kokkos::WithoutInitializing), size);
}
}  // namespace

void Model::ensure_buffers(const JetSpec& spec, int n) {
  if (n == buffer_n_ && spec == buffer_spec_) return;
  const std::size_t rows = static_cast<std::size_t>(n) * spec.channels();
  acts_.resize(layers_.size() + 1);
  act_storage_.resize(layers_.size() + 1);
  std::size_t widest = static_cast<std::size_t>(in_dim_);
  for (std::size_t i = 0; i <= layers_.size(); ++i) {
    const int f = i == 0 ? in_dim_ : layers_[i - 1]->out_features();
    widest = std::max(widest, static_cast<std::size_t>(f));
    ensure_capacity(act_storage_[i], "pinnkit::models::Model::jets", rows * f);
    acts_[i] = Jets(act_storage_[i].data(), n, spec.channels(), f);
  }
  for (auto& b : adj_buffers_) ensure_capacity(b, "pinnkit::models::Model::adjoint", rows * widest);
  buffer_spec_ = spec;
  buffer_n_ = n;
}

ConstJets Model::forward(const ExecSpace& exec, const JetSpec& spec, View2<const Real> points) {
  PINNKIT_CHECK(spec.input_dim() == in_dim_, "Model::forward: JetSpec of another dimension");
  PINNKIT_CHECK(static_cast<int>(points.extent(1)) == in_dim_,
                "Model::forward: points must be N x " + std::to_string(in_dim_));
  PINNKIT_CHECK(!layers_.empty() && layers_.back()->out_features() == out_dim_,
                "Model::forward: the last layer does not produce out_dim features");
  ensure_buffers(spec, static_cast<int>(points.extent(0)));
  seed_input_jets(exec, spec, points, acts_[0]);
  for (std::size_t i = 0; i < layers_.size(); ++i)
    layers_[i]->forward(exec, spec, acts_[i], acts_[i + 1]);
  return acts_.back();
}

void Model::backward(const ExecSpace& exec, const JetSpec& spec, ConstJets out_adj) {
  PINNKIT_CHECK(buffer_n_ >= 0 && spec == buffer_spec_,
                "Model::backward: no forward() with this JetSpec before");
  // Layers before the first one with parameters need no adjoint at all.
  int first = 0;
  while (first < layer_count() && !layers_[first]->has_params()) ++first;
  const std::size_t n = static_cast<std::size_t>(buffer_n_), c = spec.channels();
  ConstJets adj = out_adj;
  for (int i = layer_count() - 1; i >= first; --i) {
    if (i == first) {
      layers_[i]->backward_params_only(exec, spec, adj);
      break;
    }
    Jets in_adj(adj_buffers_[i % 2].data(), n, c, layers_[i]->in_features());
    layers_[i]->backward(exec, spec, adj, in_adj);
    adj = in_adj;
  }
}

ConstJets Model::jets(int i) const {
  PINNKIT_CHECK(i >= 0 && i < static_cast<int>(acts_.size()), "Model::jets: no such buffer");
  return acts_[i];
}

}  // namespace pinnkit::models
