// The aggregates whose state is more than one number: distinct() (exact up to a limit, then HyperLogLog)
// and percentile() (a merging t-digest). No Debian package offers either for C++, hence our own.
//
// Both are deterministic functions of the values added, in order: they change form (exact set → HLL,
// buffer → centroids) at fixed counts, never at the processor's trigger or commit boundaries, and their
// encoded form keeps exactly what they hold. A run restarted from durable state after a crash therefore
// reports the same figures as an uninterrupted one.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <variant>
#include <vector>

namespace sluice::records {

// HyperLogLog with 2^14 one-byte registers (16 KiB; standard error 1.04/√16384 = 0.81%) over 64-bit hashes,
// estimated with Ertl's improved estimator ("New cardinality estimation algorithms for HyperLogLog
// sketches", 2017), which needs no empirical bias tables and is unbiased from a handful to 2^60 values.
class HyperLogLog {
 public:
  static constexpr unsigned kPrecision = 14;
  static constexpr std::size_t kRegisters = std::size_t{1} << kPrecision;

  HyperLogLog() : registers_(kRegisters, 0) {}
  void add(std::uint64_t hash);
  void merge(const HyperLogLog& other);
  [[nodiscard]] double estimate() const;

  void encode(std::string& out) const;  // kRegisters bytes
  bool decode(std::string_view& in);    // false when malformed
  bool operator==(const HyperLogLog&) const = default;

 private:
  std::vector<std::uint8_t> registers_;
};

// distinct(): the exact set of value hashes while it holds at most `limit` of them, then a HyperLogLog.
class DistinctCounter {
 public:
  void add(std::uint64_t hash, std::size_t limit);
  void merge(const DistinctCounter& other, std::size_t limit);
  [[nodiscard]] std::uint64_t count() const;
  [[nodiscard]] bool exact() const { return !hll_; }

  // Exact: varint(size) + 8 bytes per hash, ascending. Estimated: varint(kEstimated) + the registers.
  void encode(std::string& out) const;
  bool decode(std::string_view& in);

 private:
  std::unordered_set<std::uint64_t> exact_;
  std::unique_ptr<HyperLogLog> hll_;
};

// percentile(): a merging t-digest (Dunning & Ertl, "Computing extremely accurate quantiles using
// t-digests", 2019) with compression 100 and the arcsine scale function: at most ~100 centroids, accurate
// at the tails. Fewer values than the buffer holds are kept as they are, so small windows (a meter's 96
// daily readings) give exact percentiles, interpolated between the two nearest values.
class TDigest {
 public:
  static constexpr double kCompression = 100;
  static constexpr std::size_t kBuffer = 500;  // values kept unmerged before a compression

  void add(double value) { add(value, 1); }
  void merge(const TDigest& other);
  // The q-quantile (0 ≤ q ≤ 1) of the values added; nullopt when there are none.
  [[nodiscard]] std::optional<double> quantile(double q) const;
  [[nodiscard]] std::uint64_t count() const { return total_; }

  // varint(0) when empty; else varint(centroids + 1), varint(buffered), min and max (8 bytes each), then
  // per entry (centroids, then the buffer) its mean (8 bytes) and varint(weight).
  void encode(std::string& out) const;
  bool decode(std::string_view& in);

 private:
  struct Centroid {
    double mean;
    std::uint64_t weight;
  };
  void add(double value, std::uint64_t weight);
  // Merges the buffer into the centroids.
  void compress();
  static void compress(std::vector<Centroid>& centroids, std::vector<Centroid>& buffer, std::uint64_t total);

  std::vector<Centroid> centroids_;  // sorted by mean
  std::vector<Centroid> buffer_;     // in arrival order
  std::uint64_t total_ = 0;
  double min_ = 0;
  double max_ = 0;
};

// The state of one distinct() or percentile() aggregate in one window.
using Sketch = std::variant<DistinctCounter, TDigest>;

}  // namespace sluice::records
