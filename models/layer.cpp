#include "models/layer.hpp"

#include <sstream>

#include "core/error.hpp"

namespace pinnkit::models {

Layer::Layer(std::string name, int in_features, int out_features)
    : name_(std::move(name)), in_features_(in_features), out_features_(out_features) {
  PINNKIT_CHECK(in_features > 0 && out_features > 0, "layer " + name_ + ": non-positive width");
}

void Layer::register_params(ParamStore& store) {
  PINNKIT_CHECK(store_ == nullptr, "layer " + name_ + ": register_params called twice");
  store_ = &store;
  const std::size_t before = store.blocks().size();
  do_register_params(store);
  param_blocks_ = static_cast<int>(store.blocks().size() - before);
}

void Layer::initialize_params(std::uint64_t seed) {
  PINNKIT_CHECK(store_ && store_->finalized(),
                "layer " + name_ + ": initialize_params needs a finalized store");
  do_initialize_params(seed);
}

ParamStore& Layer::store() const {
  PINNKIT_CHECK(store_ != nullptr, "layer " + name_ + ": no ParamStore registered");
  return *store_;
}

void Layer::check_jets(const char* what, const JetSpec& spec, std::size_t n, std::size_t c,
                       std::size_t f, int expected_features, std::size_t expected_n) const {
  if (c == static_cast<std::size_t>(spec.channels()) &&
      f == static_cast<std::size_t>(expected_features) && n == expected_n)
    return;
  std::ostringstream s;
  s << "layer " << name_ << ": " << what << " is (" << n << ", " << c << ", " << f
    << "), expected (" << expected_n << ", " << spec.channels() << ", " << expected_features
    << ")";
  PINNKIT_CHECK(false, s.str());
}

void Layer::forward(const ExecSpace& exec, const JetSpec& spec, ConstJets in, Jets out) {
  check_jets("forward input", spec, in.extent(0), in.extent(1), in.extent(2), in_features_,
             in.extent(0));
  check_jets("forward output", spec, out.extent(0), out.extent(1), out.extent(2), out_features_,
             in.extent(0));
  do_forward(exec, spec, in, out);
  last_batch_ = static_cast<int>(in.extent(0));
  last_channels_ = spec.channels();
}

void Layer::backward(const ExecSpace& exec, const JetSpec& spec, ConstJets out_adj,
                     Jets in_adj) {
  PINNKIT_CHECK(last_channels_ == spec.channels(),
                "layer " + name_ + ": backward without a matching forward");
  const std::size_t n = static_cast<std::size_t>(last_batch_);
  check_jets("output adjoint", spec, out_adj.extent(0), out_adj.extent(1), out_adj.extent(2),
             out_features_, n);
  if (in_adj.data() != nullptr)
    check_jets("input adjoint", spec, in_adj.extent(0), in_adj.extent(1), in_adj.extent(2),
               in_features_, n);
  do_backward(exec, spec, out_adj, in_adj);
}

void Layer::backward_params_only(const ExecSpace& exec, const JetSpec& spec, ConstJets out_adj) {
  backward(exec, spec, out_adj, Jets());
}

}  // namespace pinnkit::models
