#include "aggregate_record.hpp"

#include <chrono>
#include <cmath>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "aggregate_output.hpp"
#include "invalid_records.hpp"
#include "record_pass.hpp"
#include "record_specs.hpp"
#include "record_variables.hpp"
#include "service_config.hpp"
#include "sluice/record.hpp"
#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"
#include "text_lists.hpp"
#include "window_aggregator.hpp"

namespace sluice::records {

namespace {

constexpr std::string_view kSuccess = "success";
constexpr std::string_view kOriginal = "original";
constexpr std::string_view kLate = "late";
constexpr std::string_view kFailure = "failure";
constexpr std::string_view kGroupingAttribute = "aggregate.grouping";

std::int64_t ms_property(const ProcessContext& context, std::string_view name) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(context.duration_property(name)).count();
}

// Event time in epoch ms: a timestamp, a date, a whole number of epoch milliseconds, or ISO 8601 text.
std::optional<std::int64_t> event_time_ms(const Value* v, std::string& reason) {
  if (v == nullptr || v->is_null()) {
    reason = "is missing";
    return std::nullopt;
  }
  switch (v->kind()) {
    case ValueKind::kTimestamp: return floor_div(v->as_int(), 1000);
    case ValueKind::kDate: return v->as_int() * kDayMs;
    case ValueKind::kInt: return v->as_int();
    case ValueKind::kDouble:
      if (std::isfinite(v->as_double())) return static_cast<std::int64_t>(std::floor(v->as_double()));
      break;
    case ValueKind::kString:
    case ValueKind::kDecimal: {
      const std::string_view text = v->as_text();
      if (text.empty()) {
        reason = "is missing";
        return std::nullopt;
      }
      if (auto ts = parse_timestamp(text)) return floor_div(ts->micros, 1000);
      if (auto days = parse_date(text)) return std::int64_t{*days} * kDayMs;
      if (auto ms = parse_int(text)) return *ms;
      reason = "'" + std::string(text) + "' is not a timestamp (ISO 8601 or epoch milliseconds)";
      return std::nullopt;
    }
    default: break;
  }
  reason.clear();
  append_text(*v, reason);
  reason = "'" + reason + "' is not a timestamp";
  return std::nullopt;
}

WindowType window_type(const std::string& name) {
  if (name == "hopping") return WindowType::kHopping;
  if (name == "session") return WindowType::kSession;
  return WindowType::kTumbling;
}

// One grouping of the records: its group-by paths, output schema and windows. A processor has one
// (`group_by`) or several, named (`groupings`); the state keys of a named grouping start with its name and
// a NUL, so that each grouping loads only its own windows and watermark.
struct Grouping {
  std::string name;  // empty: the single `group_by` grouping, whose state keys have no prefix
  std::string state_prefix;
  std::vector<RecordPath> paths;
  DataTypePtr schema;
  std::unique_ptr<WindowAggregator> aggregator;
};

// `groupings: per_meter=/meter_id; overall=; per_site_day=/site,/day`: name=paths, separated by ';'.
std::vector<std::pair<std::string, std::vector<std::string>>> parse_groupings(std::string_view text) {
  std::vector<std::pair<std::string, std::vector<std::string>>> groupings;
  for (const std::string& entry : split_trimmed(text, ';')) {
    if (entry.empty()) continue;
    const auto equals = entry.find('=');
    const std::string_view name = trim_blanks(std::string_view(entry).substr(0, equals));
    if (equals == std::string_view::npos || name.empty()) {
      throw std::invalid_argument("groupings: '" + std::string(entry) +
                                  "' is not name=paths (per_meter=/meter_id; overall=)");
    }
    for (const auto& [other, paths] : groupings) {
      if (other == name) throw std::invalid_argument("groupings: '" + other + "' is named twice");
    }
    std::vector<std::string> paths = split_trimmed(std::string_view(entry).substr(equals + 1), ',');
    std::erase(paths, std::string());
    groupings.emplace_back(std::string(name), std::move(paths));
  }
  return groupings;
}

class AggregateRecord final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    std::lock_guard lock(mutex_);
    AggregatorConfig config;
    value_paths_.clear();
    groupings_.clear();
    try {
      for (const auto& [name, text] : context.dynamic_properties()) {
        AggregateSpec spec = parse_aggregate(name, text);
        if (reads_path(spec.kind)) {
          spec.path = value_paths_.size();
          value_paths_.push_back(RecordPath::compile(spec.argument));
        }
        config.aggregates.push_back(std::move(spec));
      }
      const std::string event_time = context.string_property("event_time");
      event_time_is_expression_ = event_time.find("${") != std::string::npos;
      if (event_time_is_expression_) {
        try {
          event_time_expression_ = Expression::compile(event_time);
        } catch (const ExpressionError& e) {
          throw std::invalid_argument("event_time: column " + std::to_string(e.column()) + ": " + e.what());
        }
      } else {
        event_time_ = RecordPath::compile(event_time);
      }
      config.window = window_type(context.string_property("window"));
      config.size_ms = ms_property(context, "window_size");
      config.slide_ms = config.window == WindowType::kHopping ? ms_property(context, "window_slide") : 0;
      config.gap_ms = ms_property(context, "session_gap");
      config.zone = context.string_property("time_zone");
      config.watermark_delay_ms = ms_property(context, "watermark_delay");
      config.allowed_lateness_ms = ms_property(context, "allowed_lateness");
      config.early_every = static_cast<std::uint32_t>(context.int_property("early_every"));
      config.idle_timeout_ms = ms_property(context, "idle_timeout");
      config.early_interval_ms = ms_property(context, "early_interval");
      config.retract = context.string_property("accumulation") == "retract";
      if (config.retract && config.window == WindowType::kSession) {
        throw std::invalid_argument(
            "accumulation: retract is for tumbling and hopping windows (a session merged into another "
            "would leave its earlier firings unretracted)");
      }
      if (context.int_property("early_every") < 0) throw std::invalid_argument("early_every must be >= 0");
      if (context.int_property("distinct_exact_limit") < 0) {
        throw std::invalid_argument("distinct_exact_limit must be >= 0");
      }
      config.distinct_exact_limit = static_cast<std::size_t>(context.int_property("distinct_exact_limit"));

      auto declared = parse_groupings(context.string_property("groupings"));
      const auto group_by = list_property(context, "group_by");
      if (!declared.empty() && !group_by.empty()) {
        throw std::invalid_argument("give either group_by (one grouping) or groupings (several), not both");
      }
      const bool named = !declared.empty();
      if (!named) declared.emplace_back("", group_by);
      for (auto& [name, paths] : declared) {
        Grouping& g = groupings_.emplace_back();
        g.name = name;
        if (named) g.state_prefix = name + '\0';
        std::vector<std::string> fields;
        for (const auto& path : paths) {
          g.paths.push_back(RecordPath::compile(path));
          fields.push_back(group_field_name(path));
        }
        g.schema = aggregate_output_schema(fields, config.aggregates);
        g.aggregator = std::make_unique<WindowAggregator>(config);
      }
    } catch (const std::invalid_argument& e) {
      throw ProcessorError(e.what());
    }
    inputs_ = groupings_.front().aggregator->make_inputs();
    too_late_.assign(groupings_.size(), 0);
    mime_ = std::string(context.service<RecordWriterFactory>("writer").mime_type());
    loaded_ = false;
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    // One trigger at a time: the windows are this processor's, changed and committed together.
    std::lock_guard lock(mutex_);
    try {
      trigger(context, session);
    } catch (...) {
      loaded_ = false;  // the session rolls back: start again from the committed state
      throw;
    }
  }

 private:
  [[nodiscard]] const std::vector<AggregateSpec>& aggregates() const {
    return groupings_.front().aggregator->config().aggregates;
  }

  [[nodiscard]] std::vector<std::unique_ptr<FiringWriter>> writers(const RecordWriterFactory& factory) const {
    std::vector<std::unique_ptr<FiringWriter>> out;
    out.reserve(groupings_.size());
    for (const Grouping& g : groupings_) {
      out.push_back(std::make_unique<FiringWriter>(factory, g.schema, aggregates(), g.paths.size()));
    }
    return out;
  }

  // The firings of each grouping that fired, one FlowFile each, to success (a child of `parent` if any).
  void emit(ProcessSession& session, const FlowFile* parent,
            std::vector<std::unique_ptr<FiringWriter>>& outs) {
    for (std::size_t i = 0; i < groupings_.size(); ++i) {
      FiringWriter& out = *outs[i];
      if (out.count() == 0) continue;
      const std::uint64_t count = out.count();
      FlowFile ff = emit_records(session, parent, out.finish(), count, mime_);
      if (!groupings_[i].name.empty()) session.put_attribute(ff, kGroupingAttribute, groupings_[i].name);
      session.transfer(ff, kSuccess);
    }
  }

  void trigger(ProcessContext& context, ProcessSession& session) {
    if (!loaded_) load(context, session);
    const auto& readers = context.service<RecordReaderFactory>("reader");
    const auto& writer_factory = context.service<RecordWriterFactory>("writer");
    const std::int64_t now = context.now_ms();
    auto flowfiles = session.get(context.batch_size());
    if (flowfiles.empty()) {
      auto outs = writers(writer_factory);
      bool changed = false;
      for (std::size_t i = 0; i < groupings_.size(); ++i) {
        const bool early = groupings_[i].aggregator->fire_early(now, *outs[i]);
        const bool idle = groupings_[i].aggregator->advance_idle(now, *outs[i]);
        changed = changed || early || idle;
      }
      if (!changed) {
        context.yield();
        return;
      }
      emit(session, nullptr, outs);
    } else {
      for (FlowFile& ff : flowfiles) aggregate(context, readers, writer_factory, session, ff, now);
    }
    for (Grouping& g : groupings_) {
      g.aggregator->flush([&](std::string_view key, std::optional<std::string_view> value) {
        state_key_.assign(g.state_prefix).append(key);
        if (value) {
          session.set_state(state_key_, *value);
        } else {
          session.remove_state(state_key_);
        }
      });
    }
    session.commit();
  }

  void load(ProcessContext& context, ProcessSession& session) {
    std::vector<std::string> bad;
    for (Grouping& g : groupings_) {
      const std::string_view prefix = g.state_prefix;
      g.aggregator->load(
          [&](const auto& fn) {
            session.for_each_state([&](std::string_view key, std::string_view value) {
              if (key.substr(0, prefix.size()) == prefix) fn(key.substr(prefix.size()), value);
            });
          },
          [&](std::string_view key) { bad.push_back(std::string(prefix).append(key)); });
    }
    if (!groupings_.front().name.empty()) {
      // Named groupings: the windows of a grouping no longer configured.
      session.for_each_state([&](std::string_view key, std::string_view) {
        for (const Grouping& g : groupings_) {
          if (key.substr(0, g.state_prefix.size()) == g.state_prefix) return;
        }
        bad.emplace_back(key);
      });
    }
    if (!bad.empty()) {
      context.log(LogLevel::kWarn, "dropping " + std::to_string(bad.size()) +
                                       " stored window(s) that do not match the configured aggregates "
                                       "or groupings");
      for (const auto& key : bad) session.remove_state(key);
    }
    loaded_ = true;
  }

  void aggregate(ProcessContext& context, const RecordReaderFactory& readers,
                 const RecordWriterFactory& writer_factory, ProcessSession& session, FlowFile& ff,
                 std::int64_t now) {
    RecordPass pass;
    InvalidRecords late;
    auto outs = writers(writer_factory);
    const EvaluationEnvironment env = context.environment();
    const bool readable = pass.run(session, ff, readers, [&](RecordReader& reader) {
      while (pass.next(reader, record_)) {
        std::string reason;
        const auto t = event_time(ff, env, reason);
        if (!t) {
          pass.invalid().add(reader, reason, reader.position());
          continue;
        }
        bool counts_somewhere = false;
        for (std::size_t i = 0; i < groupings_.size(); ++i) {
          too_late_[i] = groupings_[i].aggregator->is_too_late(*t) ? 1 : 0;
          counts_somewhere = counts_somewhere || too_late_[i] == 0;
        }
        if (!counts_somewhere) {
          late.add(reader,
                   "event time " + std::to_string(*t) +
                       " ms is more than allowed_lateness behind the watermark " +
                       std::to_string(groupings_.front().aggregator->watermark()) + " ms",
                   reader.position());
          continue;
        }
        if (!read_inputs(ff, env, reason)) {
          pass.invalid().add(reader, reason, reader.position());
          continue;
        }
        for (std::size_t i = 0; i < groupings_.size(); ++i) {
          if (too_late_[i] != 0) continue;
          group_key(groupings_[i].paths);
          groupings_[i].aggregator->add(*t, group_, inputs_, now, *outs[i]);
        }
      }
      for (std::size_t i = 0; i < groupings_.size(); ++i) {
        groupings_[i].aggregator->end_batch(*outs[i]);
        groupings_[i].aggregator->fire_early(now, *outs[i]);
      }
    });
    if (!readable) {
      fail_whole(session, ff, kFailure, pass.unreadable());
      return;
    }
    emit(session, &ff, outs);
    if (!pass.invalid().empty()) pass.invalid().emit(session, ff, kFailure);
    if (!late.empty()) late.emit(session, ff, kLate);
    session.transfer(ff, kOriginal);
  }

  // The current record's event time, from its record path or its expression (for text in another format:
  // `${read_at:toDate('dd.MM.yyyy HH:mm', 'Europe/Berlin'):toNumber()}`). nullopt with `reason` when it
  // cannot be read.
  std::optional<std::int64_t> event_time(const FlowFile& ff, const EvaluationEnvironment& env,
                                         std::string& reason) {
    std::optional<std::int64_t> t;
    if (event_time_is_expression_) {
      try {
        // Value::string views its text: the evaluated string must outlive it.
        const std::string evaluated = event_time_expression_.evaluate(RecordVariables(record_, ff), env);
        const Value text = Value::string(evaluated);
        t = event_time_ms(&text, reason);
      } catch (const ExpressionError& e) {
        reason = e.what();
      }
    } else {
      t = event_time_ms(event_time_.get(record_), reason);
    }
    if (!t)
      reason = "event time " + (event_time_is_expression_ ? std::string("expression") : event_time_.text()) +
               " " + reason;
    return t;
  }

  // The values and conditions of the current record, per aggregate. False (with `reason`) when a condition
  // cannot be evaluated: the record goes to failure and counts nowhere.
  bool read_inputs(const FlowFile& ff, const EvaluationEnvironment& env, std::string& reason) {
    const auto& specs = aggregates();
    for (std::size_t i = 0; i < specs.size(); ++i) {
      const AggregateSpec& a = specs[i];
      switch (a.kind) {
        case AggregateKind::kCount: break;
        case AggregateKind::kCountIf:
        case AggregateKind::kShareIf:
          try {
            inputs_.matched[i] = a.condition.evaluate_bool(RecordVariables(record_, ff), env) ? 1 : 0;
          } catch (const ExpressionError& e) {
            reason = "aggregate '" + a.name + "': " + e.what();
            return false;
          }
          break;
        case AggregateKind::kDistinct:
          inputs_.hash[i] = value_hash(value_paths_[a.path].get(record_), scratch_);
          break;
        default: inputs_.numeric[i] = numeric_value(value_paths_[a.path].get(record_)); break;
      }
    }
    return true;
  }

  void group_key(const std::vector<RecordPath>& paths) {
    group_.clear();
    for (const auto& path : paths) {
      const Value* v = path.get(record_);
      if (v == nullptr || v->is_null()) {
        append_group_part(std::nullopt, group_);
      } else if (v->kind() == ValueKind::kString) {
        append_group_part(v->as_text(), group_);
      } else {
        scratch_.clear();
        append_text(*v, scratch_);
        append_group_part(scratch_, group_);
      }
    }
  }

  std::mutex mutex_;
  std::vector<Grouping> groupings_;
  std::vector<char> too_late_;  // per grouping, for the current record
  std::string state_key_;
  bool loaded_ = false;
  RecordPath event_time_;
  bool event_time_is_expression_ = false;
  Expression event_time_expression_;
  std::vector<RecordPath> value_paths_;
  std::string mime_;
  Record record_;
  AggregateInputs inputs_;
  std::string group_;
  std::string scratch_;
};

ProcessorSpec make_spec() {
  ProcessorSpec s;
  s.type = "AggregateRecord";
  s.summary =
      "Aggregates records over event-time windows (tumbling, hopping, session) with a watermark and "
      "early, on-time and late firings.";
  s.description =
      "Groups records by zero or more record paths (`group_by`, or several named groupings of the same "
      "records with `groupings`) and assigns each to windows of its event time "
      "(`event_time`: a timestamp field, a date, epoch milliseconds, or ISO 8601 text). Tumbling windows of "
      "whole days are calendar days in `time_zone` (23 or 25 hours across a DST change); other tumbling and "
      "hopping windows are aligned on the epoch. The watermark is the highest event time seen minus "
      "`watermark_delay`; a window fires `on_time` when the watermark passes its end, and stays open for "
      "late "
      "records until the watermark passes its end plus `allowed_lateness`: each input FlowFile that changed "
      "a "
      "fired window fires it again as `late` (the full result so far; with `accumulation: retract` each "
      "firing after the first is preceded by a `retract` record repeating the previous one). Records later "
      "than that go, untouched, to `late`. `early_every` fires a window early every N records, "
      "`early_interval` some processing time after its first change since it last fired; `idle_timeout` "
      "moves "
      "event time on with processing time while no input arrives, so the last windows of a quiet source "
      "close."
      "\n\nEach dynamic property is an aggregate, named by the property: `count()`, `sum(/path)`, "
      "`min(/path)`, `max(/path)`, `avg(/path)`, `first(/path)` and `last(/path)` (by event time), "
      "`count_if(<boolean expression>)`, `share_if(<boolean expression>)` (count_if / count, the SLA ratio), "
      "`distinct(/path)` (exact, by 64-bit hashes of the values, up to `distinct_exact_limit` values per "
      "window; above it a HyperLogLog estimate with a standard error of 0.8% in 16 KiB), and "
      "`percentile(/path, q)` / `median(/path)` (a t-digest: exact, interpolated between the two nearest "
      "values, while a window holds at most 500 values; beyond, within a fraction of a percent of rank, "
      "closest at the tails). In a condition the record's fields are variables: `${delay_s:le(900)}`. Each "
      "firing is one output record: the group fields, `window_start`, "
      "`window_end` (in the zone's offset), `firing` (early, on_time, late, retract), `record_count` and the "
      "aggregates; the firings caused by one input go to `success` in one FlowFile."
      "\n\nThe open windows and the watermark are durable processor state, committed with the session that "
      "consumed the input: after a crash the run continues exactly where the last commit left it. Each "
      "window is one state entry of a few dozen bytes, written only when it changed.";
  s.tags = {"record", "aggregate", "window", "event time", "watermark", "sla", "group by"};
  s.input = InputRequirement::kRequired;
  s.trigger_when_empty = true;
  s.trigger_serially = true;  // one set of windows: concurrent triggers would only wait for each other
  s.dynamic_properties = true;
  s.dynamic_properties_description =
      "An aggregate: the output field name, and count(), sum(/path), min(/path), max(/path), avg(/path), "
      "first(/path), last(/path), count_if(<expression>), share_if(<expression>), distinct(/path), "
      "percentile(/path, q) (0 ≤ q ≤ 1) or median(/path).";
  using standard::enum_property;
  using standard::optional_property;
  using standard::required_property;
  s.properties = {
      reader_property(),
      writer_property(),
      required_property(
          "event_time", PropertyKind::kString,
          "Record path of the event time: a timestamp, a date, epoch milliseconds, or ISO 8601 "
          "text (`2024-03-31T01:15:00+01:00`). Or an expression over the record's fields giving "
          "one of those, for text in another format: "
          "`${read_at:toDate('dd.MM.yyyy HH:mm', 'Europe/Berlin'):toNumber()}`."),
      optional_property("group_by", PropertyKind::kString, "",
                        "Comma-separated record paths to group by (`/meter_id`); empty: one overall group. "
                        "Each becomes an output field named by its last segment."),
      optional_property("groupings", PropertyKind::kString, "",
                        "Several groupings of the same records in one processor, instead of `group_by`: "
                        "`per_meter=/meter_id; overall=` (name=paths, separated by `;`). Each grouping "
                        "fires its own windows into its own FlowFiles, with `aggregate.grouping` naming it "
                        "(route them with RouteOnAttribute)."),
      enum_property("window", "tumbling",
                    {{"tumbling", "Back-to-back windows of `window_size`."},
                     {"hopping", "Windows of `window_size` starting every `window_slide` (overlapping)."},
                     {"session", "Per group, records closer than `session_gap` share a window."}},
                    "The kind of window."),
      optional_property("window_size", PropertyKind::kDuration, "1 h",
                        "Tumbling and hopping windows: the length (`15 min`, `1 h`, `1 d`)."),
      optional_property("window_slide", PropertyKind::kDuration, "5 min",
                        "Hopping windows: how often a window starts (at most `window_size`)."),
      optional_property("session_gap", PropertyKind::kDuration, "30 min",
                        "Session windows: the inactivity gap that ends a session."),
      optional_property("time_zone", PropertyKind::kString, "UTC",
                        "IANA time zone (`Europe/Berlin`) for calendar-day windows and the offsets of output "
                        "times."),
      optional_property("watermark_delay", PropertyKind::kDuration, "0 s",
                        "How far the watermark trails the highest event time seen: the out-of-orderness "
                        "tolerated before a window fires on time."),
      optional_property("allowed_lateness", PropertyKind::kDuration, "0 s",
                        "How long after the watermark passed its end a window still accepts records (each "
                        "change fires it again as `late`). Records later than this go to `late`."),
      optional_property(
          "early_every", PropertyKind::kInt, "0",
          "Fire a window `early` every N records before it fires on time; 0: no early firings."),
      optional_property("early_interval", PropertyKind::kDuration, "0 s",
                        "Fire a window `early` this long (processing time) after its first change since it "
                        "last fired, until it fires on time; 0 s: no early firings on time."),
      enum_property("accumulation", "accumulate",
                    {{"accumulate", "Each firing gives the full result so far."},
                     {"retract",
                      "Each firing after a window's first is preceded by a `retract` record "
                      "repeating the previous firing, so that a consumer summing firings (or "
                      "replacing by key) stays exact. Tumbling and hopping windows."}},
                    "What the later firings of a window (early, on_time after early, late) say."),
      optional_property("idle_timeout", PropertyKind::kDuration, "0 s",
                        "When no record arrived for this long (processing time), event time moves on with "
                        "processing time so open windows fire; 0 s: only records move the watermark."),
      optional_property("distinct_exact_limit", PropertyKind::kInt, "10000",
                        "distinct(): up to this many distinct values per window the count is exact (8 bytes "
                        "of state per value); beyond, a HyperLogLog estimate (16 KiB, 0.8% standard error)."),
  };

  s.relationships = {
      {"success", "The firings: one record per window and firing, one FlowFile per input (or idle advance)."},
      {"original", "The input FlowFile, once its records are counted."},
      {"late", "Records later than `allowed_lateness`, untouched, with the reason per record."},
      {"failure", "Records whose event time or condition could not be read, with reason and position."}};
  s.writes_attributes = {{"record.count", "Records in the FlowFile."},
                         {"aggregate.grouping", "On success, with `groupings`: the grouping that fired."},
                         {"mime.type", "The writer's MIME type."},
                         {"record.error", "On late and failure: the first reason, with its position."},
                         {"record.errors", "On late and failure: one reason per record (the first 100)."}};
  s.examples = {
      {"Daily consumption per meter (calendar days in Berlin)",
       "services:\n  csv: { type: CSVReader }\n  json: { type: JSONWriter, properties: { format: lines } }\n"
       "processors:\n  daily:\n    type: AggregateRecord\n    properties:\n      reader: csv\n      writer: "
       "json\n"
       "      event_time: /event_time\n      group_by: /meter_id\n      window_size: 1 d\n"
       "      time_zone: Europe/Berlin\n      watermark_delay: 15 min\n      allowed_lateness: 2 h\n"
       "      total_kwh: sum(/kwh)\n      readings: count()\n"},
      {"Hourly SLA: share of readings that arrived within 15 minutes",
       "processors:\n  sla:\n    type: AggregateRecord\n    properties:\n      reader: csv\n      writer: "
       "json\n"
       "      event_time: /event_time\n      window_size: 1 h\n      idle_timeout: 5 min\n"
       "      on_time_share: share_if(${delay_s:le(900)})\n      slowest_s: max(/delay_s)\n"
       "      p95_delay_s: percentile(/delay_s, 0.95)\n      meters: distinct(/meter_id)\n"},
      {"Sessions of activity per device, fired early every 100 records",
       "processors:\n  sessions:\n    type: AggregateRecord\n    properties:\n      reader: csv\n      "
       "writer: json\n"
       "      event_time: /ts\n      group_by: /device\n      window: session\n      session_gap: 10 min\n"
       "      early_every: 100\n      events: count()\n      first_value: first(/value)\n"}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<AggregateRecord>();
}

}  // namespace

const ProcessorDefinition& aggregate_record_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::records
