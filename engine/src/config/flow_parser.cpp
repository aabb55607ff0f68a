#include "config/flow_parser.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <sstream>

#include <fmt/format.h>
// yaml-cpp 0.7's node/impl.h trips GCC 12's -Wdangling-pointer at -O2 (a false positive in its own code).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdangling-pointer"
#endif
#include <yaml-cpp/yaml.h>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#include "config/diagnostic_sort.hpp"
#include "config/names.hpp"
#include "config/scalar_position.hpp"
#include "config/settings.hpp"
#include "config/value_check.hpp"
#include "flow/cron.hpp"
#include "sluice/units.hpp"

namespace sluice::internal {

namespace {

constexpr std::string_view kCronExample = "'0 */5 * * * *'";
constexpr std::int64_t kMaxConcurrency = 1024;
constexpr std::int64_t kMaxBatch = 1'000'000;
constexpr std::int64_t kMaxCount = std::numeric_limits<std::int64_t>::max();

std::string kind_of(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar: return "a scalar";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: return "no value";
  }
  return "no value";
}

bool valid_component_id(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

std::size_t count_fields(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::size_t fields = 0;
  for (std::string field; in >> field;) ++fields;
  return fields;
}

std::string at(const SourcePos& pos) {
  return fmt::format("{}:{}", pos.line, pos.column);
}

class Parser {
 public:
  explicit Parser(std::string file) : file_(std::move(file)) { result_.flow.file = file_; }

  ParseResult run(std::string_view text) {
    source_ = text;
    YAML::Node root;
    try {
      root = YAML::Load(std::string(text));
    } catch (const YAML::ParserException& e) {
      error(pos(e.mark), fmt::format("invalid YAML: {}", e.msg));
      return std::move(result_);
    }
    parse_root(root);
    sort_diagnostics(result_.diagnostics);
    return std::move(result_);
  }

 private:
  using EntryFn =
      std::function<void(const std::string& key, const YAML::Node& key_node, const YAML::Node& value)>;

  // yaml-cpp marks are 0-based and -1 when unknown; unknown positions become the start of the file.
  [[nodiscard]] SourcePos pos(const YAML::Mark& mark) const {
    return SourcePos{file_, std::max(mark.line, 0) + 1, std::max(mark.column, 0) + 1};
  }
  [[nodiscard]] SourcePos pos(const YAML::Node& node) const { return pos(node.Mark()); }
  // An empty value's mark points at whatever token follows it, so point at its key instead.
  [[nodiscard]] SourcePos value_pos(const YAML::Node& key, const YAML::Node& value) const {
    return value.IsNull() || !value.IsDefined() ? pos(key) : pos(value);
  }

  void error(SourcePos where, std::string message) {
    result_.diagnostics.push_back(Diagnostic{std::move(where), std::move(message)});
  }

  // Visits a mapping's entries in order, reporting non-string, duplicate and (when `known` is not empty)
  // unknown keys. `noun` names a key ("key", "processor id"); `where` starts with a space or is empty.
  void for_each_entry(const YAML::Node& map, const std::vector<std::string>& known, std::string_view noun,
                      std::string_view where, const EntryFn& on_entry) {
    std::map<std::string, SourcePos> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
      // Copies: `it->` returns a proxy, so references into it would dangle.
      const YAML::Node key = it->first;
      const YAML::Node value = it->second;
      if (!key.IsScalar()) {
        error(pos(key), fmt::format("{} must be a string{} (got {})", noun, where, kind_of(key)));
        continue;
      }
      const std::string& name = key.Scalar();
      if (auto [first, inserted] = seen.emplace(name, pos(key)); !inserted) {
        error(pos(key),
              fmt::format("duplicate {} '{}'{} (first at {})", noun, name, where, at(first->second)));
        continue;
      }
      if (!known.empty() && std::find(known.begin(), known.end(), name) == known.end()) {
        error(pos(key), fmt::format("unknown key '{}'{}{}", name, where, name_hint(name, known)));
        continue;
      }
      on_entry(name, key, value);
    }
  }

  // The scalar text of `value`, or nullopt after reporting "<what> must be <expected> (got ...)".
  std::optional<std::string> scalar(const YAML::Node& key, const YAML::Node& value, std::string_view what,
                                    std::string_view expected) {
    if (value.IsScalar()) return value.Scalar();
    error(value_pos(key, value), fmt::format("{} must be {} (got {})", what, expected, kind_of(value)));
    return std::nullopt;
  }

  // A scalar checked by `problem`; reports `<subject>: '<text>' <problem>` at the value.
  std::optional<std::string> checked(
      const YAML::Node& key, const YAML::Node& value, const std::string& subject, std::string_view expected,
      const std::function<std::optional<std::string>(std::string_view)>& problem) {
    auto text = scalar(key, value, subject, expected);
    if (!text) return std::nullopt;
    if (auto p = problem(*text)) {
      error(pos(value), value_message(subject, *text, *p));
      return std::nullopt;
    }
    return text;
  }

  std::optional<std::chrono::nanoseconds> duration(const YAML::Node& key, const YAML::Node& value,
                                                   const std::string& subject) {
    auto text =
        checked(key, value, subject, "a duration", [](std::string_view t) { return duration_problem(t); });
    if (!text) return std::nullopt;
    return parse_duration(*text);
  }

  std::optional<std::int64_t> integer(const YAML::Node& key, const YAML::Node& value,
                                      const std::string& subject, std::int64_t min, std::int64_t max) {
    auto text = checked(key, value, subject, "an integer",
                        [&](std::string_view t) { return int_problem(t, min, max); });
    if (!text) return std::nullopt;
    return parse_int(*text);
  }

  void parse_root(const YAML::Node& root) {
    if (root.IsNull() || !root.IsDefined()) {
      error(SourcePos{file_, 1, 1},
            "flow file is empty (expected a mapping with keys flow, processors and optionally settings, "
            "services, connections)");
      return;
    }
    if (!root.IsMap()) {
      error(pos(root), fmt::format("flow file must be a mapping with keys flow, processors and optionally "
                                   "settings, services, connections (got {})",
                                   kind_of(root)));
      return;
    }
    static const std::vector<std::string> kKeys{"flow", "settings", "services", "processors", "connections"};
    bool has_flow = false;
    bool has_processors = false;
    for_each_entry(root, kKeys, "key", " at the top level",
                   [&](const std::string& name, const YAML::Node& key, const YAML::Node& value) {
                     if (name == "flow") {
                       has_flow = true;
                       parse_name(key, value);
                     } else if (name == "settings") {
                       parse_settings(key, value);
                     } else if (name == "processors") {
                       has_processors = true;
                       parse_processors(key, value);
                     } else if (name == "services") {
                       parse_services(key, value);
                     } else {
                       parse_connections(key, value);
                     }
                   });
    if (!has_flow) error(pos(root), "missing required key 'flow' (the flow's name, e.g. flow: demo)");
    if (!has_processors) {
      error(pos(root), "missing required key 'processors' (a mapping of processor id to definition)");
    }
  }

  void parse_name(const YAML::Node& key, const YAML::Node& value) {
    auto name = scalar(key, value, "'flow'", "the flow's name, e.g. flow: demo");
    if (!name) return;
    if (name->empty()) error(pos(value), "'flow' is empty (expected the flow's name, e.g. flow: demo)");
    result_.flow.name = Located{*name, pos(value)};
  }

  void parse_settings(const YAML::Node& key, const YAML::Node& value) {
    SettingsModel& settings = result_.flow.settings;
    settings.pos = value_pos(key, value);
    if (value.IsNull()) return;
    if (!value.IsMap()) {
      error(value_pos(key, value), fmt::format("'settings' must be a mapping (got {})", kind_of(value)));
      return;
    }
    for_each_entry(value, setting_keys(), "key", " in settings",
                   [&](const std::string& name, const YAML::Node& setting_key, const YAML::Node& setting) {
                     if (name == "provenance") {
                       parse_provenance(setting_key, setting);
                       return;
                     }
                     auto text = scalar(setting_key, setting, fmt::format("setting '{}'", name), "a scalar");
                     if (!text) return;
                     if (auto problem = set_setting(settings, name, *text)) error(pos(setting), *problem);
                   });
  }

  // settings.provenance: { enabled, max_age, max_size, indexed_attributes: [a, b] }
  void parse_provenance(const YAML::Node& key, const YAML::Node& value) {
    if (value.IsNull()) return;
    if (!value.IsMap()) {
      error(value_pos(key, value), fmt::format("'provenance' must be a mapping with keys {} (got {})",
                                               join(provenance_setting_keys()), kind_of(value)));
      return;
    }
    SettingsModel& settings = result_.flow.settings;
    for_each_entry(value, provenance_setting_keys(), "key", " in settings.provenance",
                   [&](const std::string& name, const YAML::Node& setting_key, const YAML::Node& setting) {
                     std::optional<std::string> text;
                     if (name == "indexed_attributes" && setting.IsSequence()) {
                       std::string joined;
                       for (const auto& item : setting) {
                         if (!item.IsScalar() || item.Scalar().find(',') != std::string::npos) {
                           error(pos(item), "each of 'indexed_attributes' must be an attribute name");
                           return;
                         }
                         if (!joined.empty()) joined += ',';
                         joined += item.Scalar();
                       }
                       text = joined;
                     } else {
                       text = scalar(setting_key, setting, fmt::format("setting 'provenance.{}'", name),
                                     name == "indexed_attributes" ? "a list of attribute names" : "a scalar");
                     }
                     if (!text) return;
                     if (auto problem = set_setting(settings, "provenance." + name, *text)) {
                       error(pos(setting), *problem);
                     }
                   });
  }

  void parse_processors(const YAML::Node& key, const YAML::Node& value) {
    if (!value.IsMap()) {
      error(value_pos(key, value), fmt::format("'processors' must be a mapping of processor id to definition "
                                               "(got {})",
                                               kind_of(value)));
      return;
    }
    if (value.size() == 0) {
      error(pos(value), "'processors' is empty (expected at least one processor)");
      return;
    }
    for_each_entry(value, {}, "processor id", "",
                   [&](const std::string& id, const YAML::Node& id_node, const YAML::Node& definition) {
                     parse_processor(id, id_node, definition);
                   });
  }

  // Id, position and (when the definition is a mapping) the keys `type` and `properties` of a processor or
  // service; any other key of `known` goes to `on_other`.
  void parse_component(ComponentModel& c, std::string_view noun, std::string_view type_example,
                       const std::string& id, const YAML::Node& id_node, const YAML::Node& definition,
                       const std::vector<std::string>& known, const EntryFn& on_other) {
    c.id = Located{id, pos(id_node)};
    if (!valid_component_id(id)) {
      error(pos(id_node),
            fmt::format("invalid {} id '{}' (expected letters, digits, '_' and '-' only)", noun, id));
    }
    c.pos = value_pos(id_node, definition);
    if (!definition.IsMap()) {
      error(c.pos, fmt::format("{} '{}' must be a mapping with at least 'type' (got {})", noun, id,
                               kind_of(definition)));
      return;
    }
    bool has_type = false;
    const std::string where = fmt::format(" in {} '{}'", noun, id);
    for_each_entry(definition, known, "key", where,
                   [&](const std::string& name, const YAML::Node& key, const YAML::Node& value) {
                     if (name == "type") {
                       has_type = true;
                       auto type = scalar(key, value, fmt::format("'type' of {} '{}'", noun, id),
                                          fmt::format("a {} type, e.g. type: {}", noun, type_example));
                       if (type) c.type = Located{*type, pos(value)};
                     } else if (name == "properties") {
                       parse_properties(c, noun, key, value);
                     } else {
                       on_other(name, key, value);
                     }
                   });
    if (!has_type) {
      error(c.pos,
            fmt::format("{} '{}' is missing required key 'type' (e.g. type: {})", noun, id, type_example));
    }
  }

  void parse_processor(const std::string& id, const YAML::Node& id_node, const YAML::Node& definition) {
    ProcessorModel p;
    static const std::vector<std::string> kKeys{"type", "properties", "schedule", "terminate", "retry"};
    parse_component(p, "processor", "GenerateFlowFile", id, id_node, definition, kKeys,
                    [&](const std::string& name, const YAML::Node& key, const YAML::Node& value) {
                      if (name == "schedule") {
                        parse_schedule(p, key, value);
                      } else if (name == "retry") {
                        parse_retry(p, key, value);
                      } else {
                        parse_terminate(p, key, value);
                      }
                    });
    if (p.schedule.pos.line == 0) p.schedule.pos = p.pos;  // no schedule: problems point at the processor
    result_.flow.processors.push_back(std::move(p));
  }

  void parse_services(const YAML::Node& key, const YAML::Node& value) {
    if (value.IsNull()) return;
    if (!value.IsMap()) {
      error(value_pos(key, value), fmt::format("'services' must be a mapping of service id to definition "
                                               "(got {})",
                                               kind_of(value)));
      return;
    }
    static const std::vector<std::string> kKeys{"type", "properties"};
    for_each_entry(value, {}, "service id", "",
                   [&](const std::string& id, const YAML::Node& id_node, const YAML::Node& definition) {
                     ServiceModel s;
                     parse_component(s, "service", "CSVReader", id, id_node, definition, kKeys,
                                     [](const std::string&, const YAML::Node&, const YAML::Node&) {});
                     result_.flow.services.push_back(std::move(s));
                   });
  }

  void parse_properties(ComponentModel& c, std::string_view noun, const YAML::Node& key,
                        const YAML::Node& value) {
    if (value.IsNull()) return;
    if (!value.IsMap()) {
      error(value_pos(key, value), fmt::format("'properties' of {} '{}' must be a mapping of property "
                                               "name to value (got {})",
                                               noun, c.id.value, kind_of(value)));
      return;
    }
    const std::string where = fmt::format(" in properties of '{}'", c.id.value);
    for_each_entry(
        value, {}, "property", where,
        [&](const std::string& name, const YAML::Node& name_node, const YAML::Node& property) {
          c.property_key_pos[name] = pos(name_node);
          if (property.IsNull()) {
            error(pos(name_node), fmt::format("property '{}' of '{}' has no value (write '' for an "
                                              "empty string)",
                                              name, c.id.value));
            return;
          }
          auto text = scalar(name_node, property, fmt::format("property '{}' of '{}'", name, c.id.value),
                             "a scalar value");
          if (!text) return;
          const auto offset = static_cast<std::size_t>(std::max(property.Mark().pos, 0));
          c.properties[name] = Located{*text, pos(property)};
          if (auto source = scalar_source(source_, offset, *text); !source.empty()) {
            c.property_source[name] = std::move(source);
          }
        });
  }

  void parse_schedule(ProcessorModel& p, const YAML::Node& key, const YAML::Node& value) {
    ScheduleModel& s = p.schedule;
    s.pos = value_pos(key, value);
    if (value.IsNull()) return;
    if (!value.IsMap()) {
      error(s.pos, fmt::format("'schedule' of processor '{}' must be a mapping (got {})", p.id.value,
                               kind_of(value)));
      return;
    }
    static const std::vector<std::string> kKeys{"strategy", "period",  "cron", "concurrency",
                                                "batch",    "penalty", "yield"};
    static const std::vector<std::string> kStrategies{"event", "timer", "cron"};
    const std::string& id = p.id.value;
    std::optional<std::string> strategy;
    bool strategy_invalid = false;
    std::optional<SourcePos> period_pos;
    std::optional<SourcePos> cron_pos;
    for_each_entry(
        value, kKeys, "key", fmt::format(" in schedule of '{}'", id),
        [&](const std::string& name, const YAML::Node& k, const YAML::Node& v) {
          const std::string subject = fmt::format("schedule {} of '{}'", name, id);
          if (name == "strategy") {
            strategy = checked(k, v, subject, "one of event, timer, cron",
                               [](std::string_view t) { return choice_problem(t, kStrategies); });
            strategy_invalid = !strategy;
          } else if (name == "period") {
            period_pos = pos(k);
            if (auto d = duration(k, v, subject)) s.period = *d;
          } else if (name == "cron") {
            cron_pos = pos(k);
            auto text = scalar(k, v, subject, fmt::format("a cron expression, e.g. {}", kCronExample));
            if (!text) return;
            if (const std::size_t fields = count_fields(*text); fields != 6) {
              error(pos(v),
                    value_message(fmt::format("cron expression of '{}'", id), *text,
                                  fmt::format("has {} field{} (expected 6: second minute hour day-of-month "
                                              "month day-of-week, e.g. {})",
                                              fields, fields == 1 ? "" : "s", kCronExample)));
              return;
            }
            if (std::string why; !CronSchedule::parse(*text, &why)) {
              error(pos(v), value_message(fmt::format("cron expression of '{}'", id), *text, why));
              return;
            }
            s.cron = *text;
          } else if (name == "concurrency") {
            s.concurrency_pos = value_pos(k, v);
            if (auto n = integer(k, v, subject, 1, kMaxConcurrency))
              s.concurrency = static_cast<std::uint32_t>(*n);
          } else if (name == "batch") {
            if (auto n = integer(k, v, subject, 1, kMaxBatch)) s.batch = static_cast<std::uint32_t>(*n);
          } else if (name == "penalty") {
            if (auto d = duration(k, v, subject)) s.penalty = *d;
          } else {
            if (auto d = duration(k, v, subject)) s.yield = *d;
          }
        });
    if (strategy_invalid) return;
    if (!strategy) {
      // `period:` alone means a timer and `cron:` alone a cron schedule; both at once is ambiguous.
      if (period_pos && cron_pos) {
        error(*cron_pos,
              fmt::format("schedule of '{}' has both 'period' (strategy timer) and 'cron' (strategy "
                          "cron); remove one",
                          id));
        return;
      }
      if (period_pos) strategy = "timer";
      if (cron_pos) strategy = "cron";
      if (!strategy) return;
    }
    s.strategy_given = true;
    s.strategy = *strategy == "event"   ? ScheduleStrategy::kEvent
                 : *strategy == "timer" ? ScheduleStrategy::kTimer
                                        : ScheduleStrategy::kCron;
    if (period_pos && s.strategy != ScheduleStrategy::kTimer) {
      error(*period_pos,
            fmt::format("'period' in schedule of '{}' applies only to strategy timer (strategy is "
                        "{})",
                        id, *strategy));
    }
    if (cron_pos && s.strategy != ScheduleStrategy::kCron) {
      error(*cron_pos,
            fmt::format("'cron' in schedule of '{}' applies only to strategy cron (strategy is {})", id,
                        *strategy));
    }
    if (!cron_pos && s.strategy == ScheduleStrategy::kCron) {
      error(s.pos,
            fmt::format("schedule of '{}' has strategy cron but no 'cron' key (expected e.g. cron: {})", id,
                        kCronExample));
    }
  }

  // One name or a list of names; duplicates are reported and dropped.
  std::vector<Located> parse_names(const YAML::Node& key, const YAML::Node& value, const std::string& what,
                                   const std::string& where) {
    std::vector<Located> names;
    auto add = [&](const YAML::Node& item) {
      if (!item.IsScalar()) {
        error(value_pos(key, item),
              fmt::format("items of {} must be relationship names (got {})", what, kind_of(item)));
        return;
      }
      Located name{item.Scalar(), pos(item)};
      for (const auto& earlier : names) {
        if (earlier.value == name.value) {
          error(name.pos, fmt::format("relationship '{}' is listed twice {} (first at {})", name.value, where,
                                      at(earlier.pos)));
          return;
        }
      }
      names.push_back(std::move(name));
    };
    if (value.IsScalar()) {
      add(value);
    } else if (value.IsSequence()) {
      for (const auto& item : value) add(item);
    } else if (!value.IsNull()) {
      error(pos(value),
            fmt::format("{} must be a relationship name or a list of them (got {})", what, kind_of(value)));
    }
    return names;
  }

  void parse_retry(ProcessorModel& p, const YAML::Node& key, const YAML::Node& value) {
    RetryModel& r = p.retry;
    r.pos = value_pos(key, value);
    const std::string& id = p.id.value;
    if (!value.IsMap()) {
      error(r.pos, fmt::format("'retry' of processor '{}' must be a mapping, e.g. retry: {{ relationships: "
                               "[retry], backoff: 1s, max_backoff: 10 min }} (got {})",
                               id, kind_of(value)));
      return;
    }
    static const std::vector<std::string> kKeys{"relationships", "max_attempts", "backoff", "max_backoff",
                                                "policy"};
    static const std::vector<std::string> kPolicies{"penalize", "yield"};
    for_each_entry(value, kKeys, "key", fmt::format(" in retry of '{}'", id),
                   [&](const std::string& name, const YAML::Node& k, const YAML::Node& v) {
                     const std::string subject = fmt::format("retry {} of '{}'", name, id);
                     if (name == "relationships") {
                       r.relationships = parse_names(k, v, fmt::format("'retry.relationships' of '{}'", id),
                                                     fmt::format("in retry of '{}'", id));
                     } else if (name == "max_attempts") {
                       if (auto n = integer(k, v, subject, 0, 1'000'000))
                         r.max_attempts = static_cast<std::uint32_t>(*n);
                     } else if (name == "backoff") {
                       if (auto d = duration(k, v, subject)) r.backoff = *d;
                     } else if (name == "max_backoff") {
                       if (auto d = duration(k, v, subject)) r.max_backoff = *d;
                     } else {
                       auto policy = checked(k, v, subject, "one of penalize, yield",
                                             [](std::string_view t) { return choice_problem(t, kPolicies); });
                       if (policy)
                         r.policy = *policy == "yield" ? RetryPolicy::kYield : RetryPolicy::kPenalize;
                     }
                   });
    if (r.max_backoff < r.backoff) {
      error(r.pos, fmt::format("retry of '{}': max_backoff ({}) is shorter than backoff ({})", id,
                               format_duration(r.max_backoff), format_duration(r.backoff)));
    }
  }

  void parse_terminate(ProcessorModel& p, const YAML::Node& key, const YAML::Node& value) {
    p.terminate = parse_names(key, value, fmt::format("'terminate' of processor '{}'", p.id.value),
                              fmt::format("in terminate of '{}'", p.id.value));
  }

  void parse_connections(const YAML::Node& key, const YAML::Node& value) {
    if (value.IsNull()) return;
    if (!value.IsSequence()) {
      error(value_pos(key, value), fmt::format("'connections' must be a list of connections, e.g. "
                                               "- {{ from: a, relationship: success, to: b }} (got {})",
                                               kind_of(value)));
      return;
    }
    std::size_t index = 0;
    for (const auto& item : value) parse_connection(++index, key, item);
  }

  void parse_connection(std::size_t index, const YAML::Node& list_key, const YAML::Node& item) {
    ConnectionModel c;
    c.pos = value_pos(list_key, item);
    if (!item.IsMap()) {
      error(c.pos, fmt::format("connection #{} must be a mapping with keys from, relationship, to (got {})",
                               index, kind_of(item)));
      return;
    }
    std::string name = fmt::format("connection #{}", index);
    // A missing key yields an invalid node whose Type() throws; IsDefined() is the safe test.
    const YAML::Node from = item["from"];
    const YAML::Node to = item["to"];
    if (from.IsDefined() && from.IsScalar() && to.IsDefined() && to.IsScalar()) {
      name = fmt::format("connection {} -> {}", from.Scalar(), to.Scalar());
    }
    static const std::vector<std::string> kKeys{"from",
                                                "relationship",
                                                "to",
                                                "back_pressure",
                                                "expiration",
                                                "prioritizer",
                                                "priority_attribute",
                                                "swap_threshold"};
    static const std::vector<std::string> kPrioritizers{"fifo", "oldest_first", "newest_first",
                                                        "priority_attribute"};
    bool has_relationship = false;
    std::optional<std::string> prioritizer;
    std::optional<SourcePos> attribute_pos;
    for_each_entry(
        item, kKeys, "key", " in " + name,
        [&](const std::string& k, const YAML::Node& key, const YAML::Node& v) {
          const std::string subject = fmt::format("{} of {}", k, name);
          if (k == "from" || k == "to") {
            auto id = scalar(key, v, fmt::format("'{}' of {}", k, name), "a processor id");
            if (id) (k == "from" ? c.from : c.to) = Located{*id, pos(v)};
          } else if (k == "relationship") {
            has_relationship = true;
            c.relationships = parse_names(key, v, fmt::format("'relationship' of {}", name), "in " + name);
            if (v.IsSequence() && v.size() == 0) {
              error(pos(v),
                    fmt::format("'relationship' of {} is empty (expected a relationship name or a list of "
                                "them)",
                                name));
            }
          } else if (k == "back_pressure") {
            parse_back_pressure(c, name, key, v);
          } else if (k == "expiration") {
            if (auto d = duration(key, v, subject)) c.expiration = *d;
          } else if (k == "prioritizer") {
            prioritizer = checked(key, v, subject, "a prioritizer",
                                  [](std::string_view t) { return choice_problem(t, kPrioritizers); });
            if (prioritizer) {
              c.prioritizer = *prioritizer == "fifo"           ? Prioritizer::kFifo
                              : *prioritizer == "oldest_first" ? Prioritizer::kOldestFirst
                              : *prioritizer == "newest_first" ? Prioritizer::kNewestFirst
                                                               : Prioritizer::kPriorityAttribute;
            }
          } else if (k == "priority_attribute") {
            attribute_pos = pos(key);
            auto attribute = scalar(key, v, subject, "an attribute name");
            if (attribute && attribute->empty()) {
              error(pos(v), fmt::format("{} is empty (expected an attribute name)", subject));
            } else if (attribute) {
              c.priority_attribute = *attribute;
            }
          } else {
            if (auto n = integer(key, v, subject, 1, kMaxCount))
              c.swap_threshold = static_cast<std::uint64_t>(*n);
          }
        });
    if (attribute_pos && prioritizer && c.prioritizer != Prioritizer::kPriorityAttribute) {
      error(*attribute_pos,
            fmt::format("'priority_attribute' in {} applies only to prioritizer priority_attribute "
                        "(prioritizer is {})",
                        name, *prioritizer));
    } else if (attribute_pos && !prioritizer && !item["prioritizer"].IsDefined()) {
      error(*attribute_pos,
            fmt::format("'priority_attribute' in {} applies only to prioritizer priority_attribute "
                        "(add prioritizer: priority_attribute)",
                        name));
    }
    if (!from.IsDefined()) {
      error(c.pos,
            fmt::format("{} is missing required key 'from' (the id of the processor it leads from)", name));
    }
    if (!has_relationship) {
      error(c.pos,
            fmt::format("{} is missing required key 'relationship' (a relationship name or a list of them, "
                        "e.g. relationship: success)",
                        name));
    }
    if (!to.IsDefined()) {
      error(c.pos,
            fmt::format("{} is missing required key 'to' (the id of the processor it leads to)", name));
    }
    result_.flow.connections.push_back(std::move(c));
  }

  void parse_back_pressure(ConnectionModel& c, const std::string& name, const YAML::Node& key,
                           const YAML::Node& value) {
    if (value.IsNull()) return;
    if (!value.IsMap()) {
      error(value_pos(key, value),
            fmt::format("'back_pressure' of {} must be a mapping with keys objects, size "
                        "(got {})",
                        name, kind_of(value)));
      return;
    }
    static const std::vector<std::string> kKeys{"objects", "size"};
    for_each_entry(value, kKeys, "key", " in back_pressure of " + name,
                   [&](const std::string& k, const YAML::Node& bp_key, const YAML::Node& v) {
                     const std::string subject = fmt::format("back_pressure {} of {}", k, name);
                     if (k == "objects") {
                       auto n = integer(bp_key, v, subject, 1, kMaxCount);
                       if (n) c.back_pressure_objects = static_cast<std::uint64_t>(*n);
                       return;
                     }
                     auto text = checked(bp_key, v, subject, "a size",
                                         [](std::string_view t) { return size_problem(t, 1); });
                     if (text) c.back_pressure_bytes = *parse_size(*text);
                   });
  }

  std::string file_;
  std::string_view source_;
  ParseResult result_;
};

}  // namespace

ParseResult parse_flow_text(std::string_view text, const std::string& file_name) {
  return Parser(file_name).run(text);
}

ParseResult parse_flow_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    ParseResult result;
    result.flow.file = file.string();
    result.diagnostics.push_back(
        Diagnostic{SourcePos{file.string()}, fmt::format("cannot read flow file: {}", std::strerror(errno))});
    return result;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_flow_text(text.str(), file.string());
}

}  // namespace sluice::internal
