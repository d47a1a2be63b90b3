#include "models/param_store.hpp"

#include <cmath>

#include "core/error.hpp"
#include "core/rng.hpp"

namespace pinnkit::models {

std::size_t ParamBlock::size() const {
  std::size_t s = 1;
  for (int e : shape) s *= static_cast<std::size_t>(e);
  return s;
}

Initializer Initializer::constant(double value) {
  Initializer i;
  i.kind = Kind::constant;
  i.a = value;
  return i;
}
Initializer Initializer::uniform(double lower, double upper) {
  Initializer i;
  i.kind = Kind::uniform;
  i.a = lower;
  i.b = upper;
  return i;
}
Initializer Initializer::normal(double mean, double stddev) {
  Initializer i;
  i.kind = Kind::normal;
  i.a = mean;
  i.b = stddev;
  return i;
}
Initializer Initializer::glorot_uniform(int fan_in, int fan_out, double gain) {
  Initializer i;
  i.kind = Kind::glorot_uniform;
  i.fan_in = fan_in;
  i.fan_out = fan_out;
  i.gain = gain;
  return i;
}
Initializer Initializer::kaiming_uniform(int fan_in, double gain) {
  Initializer i;
  i.kind = Kind::kaiming_uniform;
  i.fan_in = fan_in;
  i.gain = gain;
  return i;
}

int ParamStore::add(const std::string& name, const std::vector<int>& shape,
                    const std::string& group, bool trainable) {
  PINNKIT_CHECK(!finalized_, "ParamStore::add after finalize: " + name);
  PINNKIT_CHECK(!name.empty() && !has(name), "parameter block name empty or taken: " + name);
  PINNKIT_CHECK(!shape.empty(), "parameter block without a shape: " + name);
  for (int e : shape) PINNKIT_CHECK(e > 0, "parameter block with a non-positive extent: " + name);
  ParamBlock b{name, size_, shape, group, trainable};
  size_ += b.size();
  blocks_.push_back(b);
  index_[name] = static_cast<int>(blocks_.size()) - 1;
  return index_[name];
}

void ParamStore::finalize() {
  PINNKIT_CHECK(!finalized_, "ParamStore::finalize called twice");
  params_ = View1<Real>("pinnkit::models::ParamStore::params", size_);
  grads_ = View1<Real>("pinnkit::models::ParamStore::grads", size_);
  finalized_ = true;
}

std::size_t ParamStore::trainable_size() const {
  std::size_t s = 0;
  for (const auto& b : blocks_)
    if (b.trainable) s += b.size();
  return s;
}

const ParamBlock& ParamStore::block(const std::string& name) const {
  auto it = index_.find(name);
  PINNKIT_CHECK(it != index_.end(), "unknown parameter block: " + name);
  return blocks_[it->second];
}

void ParamStore::set_trainable(const std::string& name, bool trainable) {
  block(name);  // existence check
  blocks_[index_.at(name)].trainable = trainable;
}

void ParamStore::set_lr_factor(const std::string& name, double factor) {
  PINNKIT_CHECK(factor > 0, "ParamStore::set_lr_factor: factor must be positive");
  block(name);  // existence check
  blocks_[index_.at(name)].lr_factor = factor;
}

View1<Real> ParamStore::params() const {
  PINNKIT_CHECK(finalized_, "ParamStore used before finalize");
  return params_;
}
View1<Real> ParamStore::grads() const {
  PINNKIT_CHECK(finalized_, "ParamStore used before finalize");
  return grads_;
}

const ParamBlock& ParamStore::finalized_block(const std::string& name, int rank) const {
  PINNKIT_CHECK(finalized_, "ParamStore used before finalize");
  const ParamBlock& b = block(name);
  PINNKIT_CHECK(rank == 1 || static_cast<int>(b.shape.size()) == rank,
                "parameter block " + name + " has rank " + std::to_string(b.shape.size()) +
                    ", asked for rank " + std::to_string(rank));
  return b;
}

// Unmanaged views into the flat storage: pointer arithmetic on the host
// only, never a dereference, so this holds for device memory too.
ParamView1 ParamStore::params(const std::string& name) const {
  const auto& b = finalized_block(name, 1);
  return ParamView1(params_.data() + b.offset, b.size());
}
ParamView1 ParamStore::grads(const std::string& name) const {
  const auto& b = finalized_block(name, 1);
  return ParamView1(grads_.data() + b.offset, b.size());
}
ParamView2 ParamStore::params2(const std::string& name) const {
  const auto& b = finalized_block(name, 2);
  return ParamView2(params_.data() + b.offset, b.shape[0], b.shape[1]);
}
ParamView2 ParamStore::grads2(const std::string& name) const {
  const auto& b = finalized_block(name, 2);
  return ParamView2(grads_.data() + b.offset, b.shape[0], b.shape[1]);
}
ParamView3 ParamStore::params3(const std::string& name) const {
  const auto& b = finalized_block(name, 3);
  return ParamView3(params_.data() + b.offset, b.shape[0], b.shape[1], b.shape[2]);
}
ParamView3 ParamStore::grads3(const std::string& name) const {
  const auto& b = finalized_block(name, 3);
  return ParamView3(grads_.data() + b.offset, b.shape[0], b.shape[1], b.shape[2]);
}

void ParamStore::zero_grads() { Kokkos::deep_copy(grads(), Real(0)); }

namespace {
std::vector<double> to_host(View1<Real> v, std::size_t offset, std::size_t count) {
  auto sub = Kokkos::subview(v, std::make_pair(offset, offset + count));
  auto h = Kokkos::create_mirror_view_and_copy(HostSpace(), sub);
  std::vector<double> out(count);
  for (std::size_t i = 0; i < count; ++i) out[i] = static_cast<double>(h(i));
  return out;
}
void from_host(View1<Real> v, std::size_t offset, const std::vector<double>& values) {
  auto sub = Kokkos::subview(v, std::make_pair(offset, offset + values.size()));
  auto h = Kokkos::create_mirror_view(sub);
  for (std::size_t i = 0; i < values.size(); ++i) h(i) = static_cast<Real>(values[i]);
  Kokkos::deep_copy(sub, h);
}
}  // namespace

std::vector<double> ParamStore::params_to_host() const { return to_host(params(), 0, size_); }
std::vector<double> ParamStore::grads_to_host() const { return to_host(grads(), 0, size_); }

void ParamStore::params_from_host(const std::vector<double>& values) {
  PINNKIT_CHECK(values.size() == size_, "params_from_host: size mismatch");
  from_host(params(), 0, values);
}

std::vector<double> ParamStore::block_to_host(const std::string& name) const {
  const auto& b = finalized_block(name, 1);
  return to_host(params_, b.offset, b.size());
}

void ParamStore::block_from_host(const std::string& name, const std::vector<double>& values) {
  const auto& b = finalized_block(name, 1);
  PINNKIT_CHECK(values.size() == b.size(), "block_from_host: size mismatch for " + name);
  from_host(params_, b.offset, values);
}

void ParamStore::initialize(const std::string& name, const Initializer& init,
                            std::uint64_t seed) {
  const auto& b = finalized_block(name, 1);
  HostRng rng(name, seed);
  std::vector<double> v(b.size());
  using K = Initializer::Kind;
  double bound = 0.0;
  if (init.kind == K::glorot_uniform)
    bound = init.gain * std::sqrt(6.0 / (init.fan_in + init.fan_out));
  if (init.kind == K::kaiming_uniform) bound = init.gain * std::sqrt(3.0 / init.fan_in);
  for (double& x : v) {
    switch (init.kind) {
      case K::constant: x = init.a; break;
      case K::uniform: x = rng.uniform(init.a, init.b); break;
      case K::normal: x = rng.normal(init.a, init.b); break;
      case K::glorot_uniform:
      case K::kaiming_uniform: x = rng.uniform(-bound, bound); break;
    }
  }
  block_from_host(name, v);
}

}  // namespace pinnkit::models
