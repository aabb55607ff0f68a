// The event-time core of AggregateRecord, without records or sessions: assigns each (event time, group,
// values) to its windows, keeps their aggregates, tracks the watermark and decides the firings (early,
// on_time, late), and tells which windows changed so that only those are written to durable state.
//
// Firings go to a FiringSink as they happen. They depend only on the order of the records and on where the
// batches end (late firings are emitted at the end of a batch, one per changed window), never on the
// iteration order of a hash map: due windows fire sorted by (end, start, group).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "aggregate_functions.hpp"
#include "aggregate_state.hpp"
#include "aggregate_windows.hpp"

namespace sluice::records {

// kRetract: in `retract` mode, the result a window fired last, withdrawn just before its next firing.
enum class Firing : std::uint8_t { kEarly, kOnTime, kLate, kRetract };
std::string_view firing_name(Firing firing);

class FiringSink {
 public:
  virtual ~FiringSink() = default;
  // `key` is the window's state key (window start and group, see aggregate_state.hpp).
  virtual void fire(std::string_view key, const WindowState& window, Firing firing) = 0;
};

struct AggregatorConfig {
  std::vector<AggregateSpec> aggregates;
  WindowType window = WindowType::kTumbling;
  std::int64_t size_ms = 3'600'000;
  std::int64_t slide_ms = 0;
  std::int64_t gap_ms = 0;
  std::string zone = "UTC";
  std::int64_t watermark_delay_ms = 0;
  std::int64_t allowed_lateness_ms = 0;
  std::uint32_t early_every = 0;              // 0: no early firings every N records
  std::int64_t early_interval_ms = 0;         // 0: no early firings on processing time
  bool retract = false;                       // each firing after a window's first retracts the one before
  std::int64_t idle_timeout_ms = 0;           // 0: the watermark moves only with data
  std::size_t distinct_exact_limit = 10'000;  // distinct(): exact up to this many values, then HyperLogLog
};

// One record's inputs to the aggregates, indexed like AggregatorConfig::aggregates.
struct AggregateInputs {
  std::vector<std::optional<double>> numeric;  // numeric aggregates
  std::vector<char> matched;                   // count_if, share_if
  std::vector<std::uint64_t> hash;             // distinct (0: null, not counted)
};

class WindowAggregator {
 public:
  explicit WindowAggregator(AggregatorConfig config);

  [[nodiscard]] const AggregatorConfig& config() const { return config_; }
  [[nodiscard]] AggregateInputs make_inputs() const;

  // The watermark (highest event time seen − watermark_delay), or WatermarkState::kNone before any record.
  [[nodiscard]] std::int64_t watermark() const;
  // Whether a record at `t` is later than the allowed lateness for every window it belongs to (it must
  // then go to `late` untouched, and add() must not be called).
  [[nodiscard]] bool is_too_late(std::int64_t t);
  // Adds a record at event time `t` in `group` (see append_group_part); `now` is processing time.
  void add(std::int64_t t, std::string_view group, const AggregateInputs& inputs, std::int64_t now,
           FiringSink& sink);
  // The end of a batch (one input FlowFile): late firings for the windows late records changed.
  void end_batch(FiringSink& sink);
  // early_interval: fires early every window not yet on time whose first change since its last firing
  // is at least early_interval before `now` (processing time). False when nothing fired.
  bool fire_early(std::int64_t now, FiringSink& sink);
  // No input: when idle_timeout has passed since the last record, moves the watermark on by the time
  // passed and fires what became due. False when nothing changed.
  bool advance_idle(std::int64_t now, FiringSink& sink);

  // Hands every changed window (value, or nullopt when removed) and the watermark entry to `write`, then
  // forgets removed windows. Call once per committed trigger.
  void flush(const std::function<void(std::string_view key, std::optional<std::string_view> value)>& write);
  // Replaces everything with durable state (`for_each` calls its function for every key and value).
  // Entries that do not decode (a changed configuration) are reported to `bad` and dropped.
  void load(
      const std::function<void(const std::function<void(std::string_view, std::string_view)>&)>& for_each,
      const std::function<void(std::string_view key)>& bad);

  [[nodiscard]] std::size_t open_windows() const { return windows_.size(); }

 private:
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Windows = std::unordered_map<std::string, WindowState, KeyHash, std::equal_to<>>;
  using Entry = std::pair<const std::string*, WindowState*>;

  Windows::value_type& window_for(const WindowBounds& bounds, std::string_view group);
  WindowState& session_window_for(const WindowBounds& bounds, std::string_view group);
  void init_window(WindowState& w, const WindowBounds& bounds) const;
  void update(WindowState& w, const std::string& key, std::int64_t t, const AggregateInputs& inputs,
              std::int64_t now, FiringSink& sink);
  // Every firing goes through here: the retraction first (retract mode), then the result, remembered.
  void emit(const std::string& key, WindowState& w, Firing firing, FiringSink& sink);
  void merge_sketch(Sketch& target, const Sketch& other) const;
  void mark_dirty(const std::string& key, WindowState& w);
  void purge(const std::string& key, WindowState& w);
  void scan(FiringSink& sink);
  void sort_entries(std::vector<Entry>& entries) const;

  AggregatorConfig config_;
  WindowAssigner assigner_;
  bool has_sketches_ = false;
  Windows windows_;
  // Session windows: the starts of each group's open sessions.
  std::unordered_map<std::string, std::vector<std::int64_t>, KeyHash, std::equal_to<>> sessions_;
  WatermarkState watermark_;
  bool watermark_dirty_ = false;
  std::int64_t next_due_ = INT64_MIN;  // the earliest window end (or end + lateness) to act on
  std::vector<Entry> dirty_;
  std::vector<Entry> late_;
  std::vector<Entry> due_;
  std::vector<Entry> expired_;
  std::vector<WindowBounds> bounds_;
  // early_interval: windows in the order of their first unfired change (key, early_since). An entry whose
  // window has fired since, or is gone, no longer matches its early_since and is skipped.
  std::deque<std::pair<std::string, std::int64_t>> early_queue_;
  std::string key_;
  std::string value_;
};

}  // namespace sluice::records
