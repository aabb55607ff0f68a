#include "control_rate.hpp"

#include <charconv>
#include <cmath>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "failure.hpp"
#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::standard {

namespace {

constexpr std::string_view kSuccess = "success";
constexpr std::string_view kReasonAttribute = "controlrate.failure.reason";

enum class Criteria : std::uint8_t { kCount, kBytes, kAttribute };

std::optional<double> parse_number(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

struct Held {
  FlowFile flowfile;  // in the held session
  double amount;
};

// One group's budget for the current window, and the FlowFiles waiting for the next ones, in order.
struct Group {
  std::int64_t window_start_ms = 0;
  double used = 0;
  std::deque<Held> waiting;
};

class ControlRate final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    const std::string criteria = context.string_property("rate_control_criteria");
    const std::string max_rate = context.string_property("max_rate");
    std::optional<double> max;
    if (criteria == "flowfile_count") {
      criteria_ = Criteria::kCount;
      if (auto n = parse_int(max_rate)) max = static_cast<double>(*n);
    } else if (criteria == "data_rate") {
      criteria_ = Criteria::kBytes;
      if (auto n = parse_size(max_rate)) max = static_cast<double>(*n);
    } else {
      criteria_ = Criteria::kAttribute;
      max = parse_number(max_rate);
      attribute_ = context.string_property("rate_controlled_attribute");
      if (attribute_.empty()) {
        throw ProcessorError(
            "rate_controlled_attribute must be set with rate_control_criteria attribute_value");
      }
    }
    if (!max || *max <= 0) {
      throw ProcessorError("max_rate '" + max_rate + "' is not a positive " +
                           (criteria_ == Criteria::kBytes ? "size (e.g. 10 MB)" : "number") + " for " +
                           criteria);
    }
    max_ = *max;
    period_ms_ =
        std::chrono::duration_cast<std::chrono::milliseconds>(context.duration_property("time_duration"))
            .count();
    if (period_ms_ <= 0) throw ProcessorError("time_duration must be at least 1 ms");
    grouping_ = context.string_property("grouping_attribute");
  }

  void on_stop(ProcessContext& /*context*/) override {
    std::lock_guard lock(mutex_);
    if (held_) held_->rollback();  // waiting FlowFiles go back to the input queue, in order
    held_.reset();
    groups_.clear();
    waiting_ = 0;
    dead_ = 0;
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    std::lock_guard lock(mutex_);
    const std::int64_t now = context.now_ms();
    std::size_t passed = release(session, now);
    // Held FlowFiles are bounded by the batch: beyond it the input queue (and its back pressure) holds them.
    const std::size_t room = waiting_ >= context.batch_size() ? 0 : context.batch_size() - waiting_;
    std::vector<FlowFile> incoming = room == 0 ? std::vector<FlowFile>() : session.get(room);
    for (FlowFile& ff : incoming) {
      std::string reason;
      const std::optional<double> amount = amount_of(ff, reason);
      if (!amount) {
        route_to_failure(context, session, ff, kReasonAttribute, reason);
        continue;
      }
      Group& group = group_of(ff, now);
      if (group.waiting.empty() && admit(group, *amount)) {
        session.transfer(ff, kSuccess);
        ++passed;
        continue;
      }
      if (!held_) held_ = session.new_session();
      group.waiting.push_back({session.migrate(ff, *held_), *amount});
      ++waiting_;
    }
    compact(session);
    if (passed == 0 && incoming.empty()) context.yield();  // nothing to do until a window ends
  }

 private:
  std::optional<double> amount_of(const FlowFile& ff, std::string& reason) const {
    switch (criteria_) {
      case Criteria::kCount: return 1.0;
      case Criteria::kBytes: return static_cast<double>(ff.size());
      case Criteria::kAttribute: {
        const auto value = ff.attribute(attribute_);
        if (!value) {
          reason = "attribute '" + attribute_ + "' (rate_controlled_attribute) is missing";
          return std::nullopt;
        }
        auto number = parse_number(value->view());
        if (!number || *number < 0) {
          reason = "attribute '" + attribute_ + "' is '" + value->str() + "', not a non-negative number";
          return std::nullopt;
        }
        return number;
      }
    }
    return std::nullopt;
  }

  Group& group_of(const FlowFile& ff, std::int64_t now) {
    std::string key;
    if (!grouping_.empty()) {
      if (auto value = ff.attribute(grouping_)) key = value->str();
    }
    auto [it, inserted] = groups_.try_emplace(std::move(key));
    if (inserted) it->second.window_start_ms = now;
    roll(it->second, now);
    return it->second;
  }

  void roll(Group& group, std::int64_t now) const {
    if (now - group.window_start_ms >= period_ms_) {
      group.window_start_ms = now - (now - group.window_start_ms) % period_ms_;
      group.used = 0;
    }
  }

  // The first FlowFile of a window always passes, so one larger than max_rate is delayed, never stuck.
  bool admit(Group& group, double amount) const {
    if (group.used > 0 && group.used + amount > max_) return false;
    group.used += amount;
    return true;
  }

  // Sends waiting FlowFiles whose group has budget again, oldest first within each group.
  std::size_t release(ProcessSession& session, std::int64_t now) {
    if (waiting_ == 0) return 0;
    std::size_t passed = 0;
    for (auto it = groups_.begin(); it != groups_.end();) {
      Group& group = it->second;
      roll(group, now);
      while (!group.waiting.empty() && admit(group, group.waiting.front().amount)) {
        FlowFile ff = held_->migrate(group.waiting.front().flowfile, session);
        session.transfer(ff, kSuccess);
        group.waiting.pop_front();
        --waiting_;
        ++dead_;
        ++passed;
      }
      // A group with nothing waiting and an old window costs memory only: forget it.
      if (group.waiting.empty() && now - group.window_start_ms >= period_ms_) {
        it = groups_.erase(it);
      } else {
        ++it;
      }
    }
    return passed;
  }

  // A held session keeps a slot for every FlowFile that ever passed through it: once those outnumber the
  // waiting ones, move the waiting ones to a fresh session and let the old one go.
  void compact(ProcessSession& session) {
    if (!held_ || dead_ < 1024 || dead_ < 2 * waiting_) return;
    auto fresh = session.new_session();
    for (auto& [key, group] : groups_) {
      for (Held& h : group.waiting) h.flowfile = held_->migrate(h.flowfile, *fresh);
    }
    held_->commit();  // holds nothing any more: commits nothing
    held_ = std::move(fresh);
    dead_ = 0;
  }

  std::mutex mutex_;
  Criteria criteria_ = Criteria::kCount;
  double max_ = 0;
  std::string attribute_;
  std::int64_t period_ms_ = 60'000;
  std::string grouping_;
  std::unordered_map<std::string, Group> groups_;
  std::unique_ptr<ProcessSession> held_;
  std::size_t waiting_ = 0;
  std::size_t dead_ = 0;  // FlowFiles that left held_ (its stale slots)
};

ProcessorSpec make_spec() {
  ProcessorSpec s;
  s.type = "ControlRate";
  s.summary = "Lets at most `max_rate` FlowFiles, bytes or attribute units through per `time_duration`.";
  s.description =
      "Counts what passes in fixed windows of `time_duration`, per value of `grouping_attribute` (one budget "
      "for all when unset): FlowFiles (`flowfile_count`), content bytes (`data_rate`) or the number in "
      "`rate_controlled_attribute` (`attribute_value`). A FlowFile that does not fit its group's budget "
      "waits, in order, for a later window; the first FlowFile of a window always passes, so one larger "
      "than `max_rate` is delayed, never stuck. Waiting FlowFiles stay durably in the input queue until "
      "they pass (held in a session of this processor: a crash or stop returns them to the queue), and at "
      "most the schedule's `batch` of them wait at once; beyond that they stay queued, so back pressure "
      "reaches upstream. A missing or non-numeric `rate_controlled_attribute` sends the FlowFile to "
      "`failure`. The processor is triggered without input to release waiting FlowFiles; set the "
      "schedule's `yield` below `time_duration` for finer timing.";
  s.tags = {"rate control", "throttle", "rate", "throughput", "limit"};
  s.input = InputRequirement::kRequired;
  s.trigger_when_empty = true;
  s.properties = {
      enum_property("rate_control_criteria", "data_rate",
                    {{"data_rate", "Content bytes; `max_rate` is a size such as `10 MB`."},
                     {"flowfile_count", "FlowFiles; `max_rate` is a count."},
                     {"attribute_value", "The number in `rate_controlled_attribute`."}},
                    "What is counted against `max_rate`."),
      required_property("max_rate", PropertyKind::kString,
                        "Most allowed per `time_duration`: a size for data_rate, else a number."),
      optional_property("rate_controlled_attribute", PropertyKind::kString, std::nullopt,
                        "With `attribute_value`: the attribute holding each FlowFile's amount."),
      optional_property("time_duration", PropertyKind::kDuration, "1 min",
                        "The window `max_rate` applies to."),
      optional_property("grouping_attribute", PropertyKind::kString, std::nullopt,
                        "Budget separately per value of this attribute (FlowFiles without it share one)."),
  };
  s.relationships = {{"success", "FlowFiles let through."},
                     {"failure",
                      "FlowFiles without a usable `rate_controlled_attribute`; see "
                      "`controlrate.failure.reason`."}};
  s.writes_attributes = {{"controlrate.failure.reason", "Why a FlowFile went to failure."}};
  s.examples = {{"At most 100 requests per minute per customer",
                 "throttle:\n  type: ControlRate\n  properties:\n    rate_control_criteria: flowfile_count\n"
                 "    max_rate: 100\n    time_duration: 1 min\n    grouping_attribute: customer_id\n"
                 "  schedule: { yield: 100ms }\n  terminate: [failure]\n"}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<ControlRate>();
}

}  // namespace

const ProcessorDefinition& control_rate_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::standard
