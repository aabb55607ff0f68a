#include "detect_duplicate.hpp"

#include <charconv>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "failure.hpp"
#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::standard {

namespace {

constexpr std::string_view kDuplicate = "duplicate";
constexpr std::string_view kNonDuplicate = "non_duplicate";
constexpr std::string_view kReasonAttribute = "detectduplicate.failure.reason";
constexpr std::string_view kDescriptionAttribute = "original.flowfile.description";
// State keys are this prefix and the cache key; the value is "<first seen, epoch ms> <description>".
constexpr std::string_view kKeyPrefix = "seen:";

struct Entry {
  std::int64_t seen_ms = 0;
  std::string_view description;
};

std::optional<Entry> parse_entry(std::string_view value) {
  const std::size_t space = value.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  Entry e;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + space, e.seen_ms);
  if (ec != std::errc() || end != value.data() + space) return std::nullopt;
  e.description = value.substr(space + 1);
  return e;
}

class DetectDuplicate final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    key_ = &context.expression("cache_entry_identifier");
    description_ = &context.expression("flowfile_description");
    age_off_ms_.reset();
    if (auto text = context.property("age_off"); text && !text->empty()) {
      age_off_ms_ =
          std::chrono::duration_cast<std::chrono::milliseconds>(context.duration_property("age_off")).count();
    }
    cache_identifier_ = context.bool_property("cache_entry_identifier_enabled");
    last_sweep_ms_ = 0;
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    // One trigger at a time: two concurrent sessions could otherwise both see a key as new.
    std::lock_guard lock(mutex_);
    const EvaluationEnvironment env = context.environment();
    const std::int64_t now = context.now_ms();
    sweep(session, now);
    std::string key;
    std::string state_key;
    for (FlowFile& ff : session.get(context.batch_size())) {
      std::string description;
      try {
        const FlowFileVariables variables(ff);
        key = key_->evaluate(variables, env);
        description = description_->evaluate(variables, env);
      } catch (const ExpressionError& e) {
        route_to_failure(context, session, ff, kReasonAttribute,
                         std::string("cannot evaluate an expression: ") + e.what());
        continue;
      }
      if (key.empty()) {
        route_to_failure(context, session, ff, kReasonAttribute,
                         "cache_entry_identifier '" + key_->text() + "' evaluated to an empty key");
        continue;
      }
      state_key.assign(kKeyPrefix).append(key);
      const auto stored = session.get_state(state_key);  // sees this session's own entries too
      const auto entry = stored ? parse_entry(*stored) : std::nullopt;
      if (entry && !(age_off_ms_ && now - entry->seen_ms >= *age_off_ms_)) {
        session.put_attribute(ff, kDescriptionAttribute, entry->description);
        session.transfer(ff, kDuplicate);
        continue;
      }
      if (cache_identifier_) session.set_state(state_key, std::to_string(now) + " " + description);
      session.transfer(ff, kNonDuplicate);
    }
    // Committed under the lock, so that the next trigger sees these keys.
    session.commit();
  }

 private:
  // Forgets entries older than the age-off, at most twice per age-off period (a full pass over the cache).
  void sweep(ProcessSession& session, std::int64_t now) {
    if (!age_off_ms_ || now - last_sweep_ms_ < std::max<std::int64_t>(*age_off_ms_ / 2, 1000)) return;
    last_sweep_ms_ = now;
    std::vector<std::string> expired;
    session.for_each_state([&](std::string_view key, std::string_view value) {
      if (!key.starts_with(kKeyPrefix)) return;
      const auto entry = parse_entry(value);
      if (!entry || now - entry->seen_ms >= *age_off_ms_) expired.emplace_back(key);
    });
    for (const auto& key : expired) session.remove_state(key);
  }

  std::mutex mutex_;
  const Expression* key_ = nullptr;
  const Expression* description_ = nullptr;
  std::optional<std::int64_t> age_off_ms_;
  bool cache_identifier_ = true;
  std::int64_t last_sweep_ms_ = 0;
};

ProcessorSpec make_spec() {
  ProcessorSpec s;
  s.type = "DetectDuplicate";
  s.summary = "Routes FlowFiles whose cache key was seen before (within `age_off`) to `duplicate`.";
  s.description =
      "Evaluates `cache_entry_identifier` per FlowFile and looks the key up in this processor's durable "
      "state: a key seen before, and less than `age_off` ago, sends the FlowFile to `duplicate` with the "
      "first one's `flowfile_description` in `original.flowfile.description`; otherwise the key is "
      "remembered and the FlowFile goes to `non_duplicate`. The cache is committed with the session (after "
      "a crash it holds exactly the keys of committed FlowFiles) and survives restarts; it replaces NiFi's "
      "distributed map cache service for a single node. Expired keys are swept at most twice per `age_off`; "
      "without `age_off` keys are kept for ever, so choose a key space that is bounded. An empty key, or an "
      "expression that cannot be evaluated, sends the FlowFile to `failure`.";
  s.tags = {"hash", "dupe", "duplicate", "dedupe", "deduplicate"};
  s.input = InputRequirement::kRequired;
  s.properties = {
      optional_property("cache_entry_identifier", PropertyKind::kExpression, "${hash.value}",
                        "The key that identifies a FlowFile, e.g. HashContent's `${hash.value}` or "
                        "`${meter_id}-${read_at}`."),
      optional_property("flowfile_description", PropertyKind::kExpression, "",
                        "Remembered with the key and given to its duplicates, e.g. `${filename}`."),
      optional_property("age_off", PropertyKind::kDuration, std::nullopt,
                        "Forget a key this long after it was first seen; unset: never."),
      optional_property("cache_entry_identifier_enabled", PropertyKind::kBool, "true",
                        "Remember the keys of non-duplicates (false only checks: NiFi's Cache The Entry "
                        "Identifier)."),
  };
  s.relationships = {{"duplicate", "FlowFiles whose key was seen before."},
                     {"non_duplicate", "FlowFiles whose key is new (or aged off)."},
                     {"failure",
                      "FlowFiles with an empty key or a key that could not be evaluated; see "
                      "`detectduplicate.failure.reason`."}};
  s.reads_attributes = {{"hash.value", "The default key."}};
  s.writes_attributes = {
      {"original.flowfile.description", "On duplicates: the description remembered with the key."},
      {"detectduplicate.failure.reason", "Why a FlowFile went to failure."}};
  s.examples = {
      {"Drop meter readings delivered twice within a day",
       "dedup:\n  type: DetectDuplicate\n  properties:\n"
       "    cache_entry_identifier: \"${meter_id}/${read_at}\"\n    flowfile_description: \"${filename}\"\n"
       "    age_off: 24 h\n  terminate: [duplicate, failure]\n"}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<DetectDuplicate>();
}

}  // namespace

const ProcessorDefinition& detect_duplicate_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::standard
