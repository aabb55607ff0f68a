#include "aggregate_sketches.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <numbers>

#include "aggregate_state.hpp"

namespace sluice::records {

namespace {

constexpr unsigned kRankBits = 64 - HyperLogLog::kPrecision;  // the hash bits a register's rank comes from

// Ertl's σ(x) = x + Σ_{k≥1} x^(2^k) 2^(k−1), for the share x of registers still zero.
double sigma(double x) {
  if (x == 1) return std::numeric_limits<double>::infinity();
  double y = 1;
  double z = x;
  double previous = 0;
  do {
    x *= x;
    previous = z;
    z += x * y;
    y += y;
  } while (z != previous);
  return z;
}

// Ertl's τ(x) = (1 − x − Σ_{k≥1} (1 − x^(2^−k))² 2^−k) / 3, for the share x of saturated registers.
double tau(double x) {
  if (x == 0 || x == 1) return 0;
  double y = 1;
  double z = 1 - x;
  double previous = 0;
  do {
    x = std::sqrt(x);
    previous = z;
    y *= 0.5;
    z -= (1 - x) * (1 - x) * y;
  } while (z != previous);
  return z / 3;
}

// An impossible exact-set size marking an estimated distinct count in the encoding.
constexpr std::uint64_t kEstimated = std::uint64_t{1} << 62U;

}  // namespace

void HyperLogLog::add(std::uint64_t hash) {
  const auto index = static_cast<std::size_t>(hash >> kRankBits);
  const std::uint64_t rest = hash << kPrecision;
  const unsigned zeros = rest == 0 ? kRankBits : static_cast<unsigned>(std::countl_zero(rest));
  const auto rank = static_cast<std::uint8_t>(zeros + 1);
  registers_[index] = std::max(registers_[index], rank);
}

void HyperLogLog::merge(const HyperLogLog& other) {
  for (std::size_t i = 0; i < kRegisters; ++i) registers_[i] = std::max(registers_[i], other.registers_[i]);
}

double HyperLogLog::estimate() const {
  std::array<std::uint32_t, kRankBits + 2> histogram{};
  for (const std::uint8_t r : registers_) ++histogram[r];
  const auto m = static_cast<double>(kRegisters);
  double z = m * tau(1 - histogram[kRankBits + 1] / m);
  for (unsigned k = kRankBits; k >= 1; --k) z = 0.5 * (z + histogram[k]);
  z += m * sigma(histogram[0] / m);
  return 0.5 / std::numbers::ln2 * m * m / z;
}

void HyperLogLog::encode(std::string& out) const {
  out.append(reinterpret_cast<const char*>(registers_.data()), registers_.size());
}

bool HyperLogLog::decode(std::string_view& in) {
  if (in.size() < kRegisters) return false;
  std::memcpy(registers_.data(), in.data(), kRegisters);
  in.remove_prefix(kRegisters);
  return std::all_of(registers_.begin(), registers_.end(), [](std::uint8_t r) { return r <= kRankBits + 1; });
}

void DistinctCounter::add(std::uint64_t hash, std::size_t limit) {
  if (hll_) {
    hll_->add(hash);
    return;
  }
  exact_.insert(hash);
  if (exact_.size() <= limit) return;
  hll_ = std::make_unique<HyperLogLog>();
  for (const std::uint64_t h : exact_) hll_->add(h);
  std::unordered_set<std::uint64_t>().swap(exact_);  // give the memory back
}

void DistinctCounter::merge(const DistinctCounter& other, std::size_t limit) {
  if (other.hll_) {
    if (!hll_) {
      hll_ = std::make_unique<HyperLogLog>();
      for (const std::uint64_t h : exact_) hll_->add(h);
      std::unordered_set<std::uint64_t>().swap(exact_);
    }
    hll_->merge(*other.hll_);
    return;
  }
  for (const std::uint64_t h : other.exact_) add(h, limit);
}

std::uint64_t DistinctCounter::count() const {
  if (!hll_) return exact_.size();
  return static_cast<std::uint64_t>(std::llround(hll_->estimate()));
}

void DistinctCounter::encode(std::string& out) const {
  if (hll_) {
    append_varint(kEstimated, out);
    hll_->encode(out);
    return;
  }
  // Sorted, so that equal states encode equally whatever the set's internal order.
  std::vector<std::uint64_t> hashes(exact_.begin(), exact_.end());
  std::sort(hashes.begin(), hashes.end());
  append_varint(hashes.size(), out);
  for (const auto h : hashes) append_u64(h, out);
}

bool DistinctCounter::decode(std::string_view& in) {
  const auto n = read_varint(in);
  if (!n) return false;
  exact_.clear();
  hll_.reset();
  if (*n == kEstimated) {
    hll_ = std::make_unique<HyperLogLog>();
    return hll_->decode(in);
  }
  if (in.size() / 8 < *n) return false;
  exact_.reserve(*n);
  for (std::uint64_t k = 0; k < *n; ++k) {
    std::uint64_t h = 0;
    std::memcpy(&h, in.data(), sizeof h);
    in.remove_prefix(sizeof h);
    exact_.insert(h);
  }
  return true;
}

void TDigest::add(double value, std::uint64_t weight) {
  if (std::isnan(value) || weight == 0) return;
  if (total_ == 0) {
    min_ = value;
    max_ = value;
  } else {
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
  }
  buffer_.push_back({value, weight});
  total_ += weight;
  if (buffer_.size() >= kBuffer) compress();
}

void TDigest::merge(const TDigest& other) {
  // Entry by entry, as if the other's values had been added here: the result depends only on the order.
  for (const Centroid& c : other.centroids_) add(c.mean, c.weight);
  for (const Centroid& c : other.buffer_) add(c.mean, c.weight);
  if (other.total_ > 0) {
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
  }
}

void TDigest::compress() {
  compress(centroids_, buffer_, total_);
}

// One merging pass (the paper's Algorithm 1): walk all entries in order of their means, folding each into
// the current centroid while the centroid stays within one unit of the scale k(q) = δ/2π · asin(2q − 1).
void TDigest::compress(std::vector<Centroid>& centroids, std::vector<Centroid>& buffer, std::uint64_t total) {
  if (buffer.empty()) return;
  centroids.insert(centroids.end(), buffer.begin(), buffer.end());
  buffer.clear();
  std::stable_sort(centroids.begin(), centroids.end(),
                   [](const Centroid& a, const Centroid& b) { return a.mean < b.mean; });
  const auto n = static_cast<double>(total);
  const auto scale = [](double q) { return kCompression / (2 * std::numbers::pi) * std::asin(2 * q - 1); };
  const auto inverse = [](double k) {
    const double bounded = std::clamp(k, -kCompression / 4, kCompression / 4);
    return (std::sin(bounded * 2 * std::numbers::pi / kCompression) + 1) / 2;
  };
  std::size_t out = 0;
  double q0 = 0;
  double limit = inverse(scale(q0) + 1);
  for (std::size_t i = 1; i < centroids.size(); ++i) {
    Centroid& current = centroids[out];
    const Centroid& next = centroids[i];
    const double q = q0 + static_cast<double>(current.weight + next.weight) / n;
    if (q <= limit) {
      current.weight += next.weight;
      current.mean +=
          (next.mean - current.mean) * static_cast<double>(next.weight) / static_cast<double>(current.weight);
    } else {
      q0 += static_cast<double>(current.weight) / n;
      limit = inverse(scale(q0) + 1);
      centroids[++out] = next;
    }
  }
  centroids.resize(out + 1);
}

// Each entry stands for its weight's worth of values centred on its cumulative position; between the
// centres of two neighbours the quantile is interpolated linearly, and towards the ends towards the
// exact min and max. For entries of weight 1 this is the "Hazen" definition (position q·n, values at
// i + ½), the one numpy calls `hazen`.
std::optional<double> TDigest::quantile(double q) const {
  if (total_ == 0) return std::nullopt;
  std::vector<Centroid> entries;
  entries.reserve(centroids_.size() + buffer_.size());
  entries.insert(entries.end(), centroids_.begin(), centroids_.end());
  entries.insert(entries.end(), buffer_.begin(), buffer_.end());
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Centroid& a, const Centroid& b) { return a.mean < b.mean; });
  const auto n = static_cast<double>(total_);
  const double target = std::clamp(q, 0.0, 1.0) * n;
  double below = 0;  // weight of the entries before the current one
  double previous_centre = 0;
  double previous_mean = min_;
  for (const Centroid& c : entries) {
    const double centre = below + static_cast<double>(c.weight) / 2;
    if (target <= centre) {
      if (centre == previous_centre) return c.mean;
      return previous_mean +
             (target - previous_centre) / (centre - previous_centre) * (c.mean - previous_mean);
    }
    previous_centre = centre;
    previous_mean = c.mean;
    below += static_cast<double>(c.weight);
  }
  if (n == previous_centre) return max_;
  return previous_mean + (target - previous_centre) / (n - previous_centre) * (max_ - previous_mean);
}

void TDigest::encode(std::string& out) const {
  if (total_ == 0) {
    append_varint(0, out);
    return;
  }
  append_varint(centroids_.size() + 1, out);
  append_varint(buffer_.size(), out);
  append_double(min_, out);
  append_double(max_, out);
  for (const auto* list : {&centroids_, &buffer_}) {
    for (const Centroid& c : *list) {
      append_double(c.mean, out);
      append_varint(c.weight, out);
    }
  }
}

bool TDigest::decode(std::string_view& in) {
  centroids_.clear();
  buffer_.clear();
  total_ = 0;
  const auto centroids = read_varint(in);
  if (!centroids) return false;
  if (*centroids == 0) return true;
  const auto buffered = read_varint(in);
  if (!buffered || *buffered > kBuffer || *centroids - 1 > in.size() / 9) return false;
  if (!read_double(in, min_) || !read_double(in, max_)) return false;
  for (std::uint64_t i = 0; i < *centroids - 1 + *buffered; ++i) {
    Centroid c{};
    const auto weight = [&] { return read_double(in, c.mean) ? read_varint(in) : std::nullopt; }();
    if (!weight || *weight == 0) return false;
    c.weight = *weight;
    (i < *centroids - 1 ? centroids_ : buffer_).push_back(c);
    total_ += c.weight;
  }
  return true;
}

}  // namespace sluice::records
