#include "config/settings.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "config/names.hpp"
#include "config/value_check.hpp"
#include "sluice/units.hpp"

namespace sluice::internal {

namespace {

constexpr std::string_view kCommandLine = "command line";

std::optional<std::string> problem_with(std::string_view key, std::string_view value,
                                        const std::optional<std::string>& problem) {
  if (!problem) return std::nullopt;
  return value_message(fmt::format("setting '{}'", key), value, *problem);
}

}  // namespace

const std::vector<std::string>& setting_keys() {
  static const std::vector<std::string> kKeys{"durability",     "threads",         "batch_interval",
                                              "repositories",   "content_archive", "content_archive_age",
                                              "checkpoint_log", "provenance"};
  return kKeys;
}

const std::vector<std::string>& provenance_setting_keys() {
  static const std::vector<std::string> kKeys{"enabled", "max_age", "max_size", "indexed_attributes"};
  return kKeys;
}

namespace {
constexpr std::string_view kProvenancePrefix = "provenance.";

std::optional<std::string> set_provenance_setting(ProvenanceSettingsModel& p, std::string_view full_key,
                                                  std::string_view key, std::string_view value) {
  if (key == "enabled") {
    if (auto error = problem_with(full_key, value, bool_problem(value))) return error;
    p.enabled = *parse_bool(value);
  } else if (key == "max_age") {
    if (auto error = problem_with(full_key, value, duration_problem(value, std::chrono::seconds(1))))
      return error;
    p.max_age = std::chrono::duration_cast<std::chrono::seconds>(*parse_duration(value));
  } else if (key == "max_size") {
    if (auto error = problem_with(full_key, value, size_problem(value, std::uint64_t{1} << 20))) return error;
    p.max_size = *parse_size(value);
  } else if (key == "indexed_attributes") {
    std::vector<std::string> names;
    std::size_t start = 0;
    while (start <= value.size()) {
      const std::size_t comma = std::min(value.find(',', start), value.size());
      std::string_view name = value.substr(start, comma - start);
      while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
      while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
      if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end())
        names.emplace_back(name);
      start = comma + 1;
    }
    p.indexed_attributes = std::move(names);
  } else {
    return fmt::format("unknown setting '{}'{}", full_key, name_hint(key, provenance_setting_keys()));
  }
  return std::nullopt;
}

// Built by push_back, not a braced list: GCC 12 at -O3 reports a false maybe-uninitialized for a braced
// std::vector of Diagnostics holding strings.
void command_line_problem(std::vector<Diagnostic>& diagnostics, std::string message) {
  diagnostics.push_back(Diagnostic{SourcePos{std::string(kCommandLine)}, std::move(message)});
}
}  // namespace

std::optional<std::string> set_setting(SettingsModel& settings, std::string_view key,
                                       std::string_view value) {
  if (key == "durability") {
    static const std::vector<std::string> kModes{"fsync", "batch", "none"};
    if (auto error = problem_with(key, value, choice_problem(value, kModes))) return error;
    settings.durability = value == "fsync"   ? DurabilityMode::kFsync
                          : value == "batch" ? DurabilityMode::kBatch
                                             : DurabilityMode::kNone;
  } else if (key == "threads") {
    constexpr std::int64_t kMaxThreads = 4096;
    if (auto problem = int_problem(value, 0, kMaxThreads)) {
      problem->insert(problem->size() - 1, "; 0 = one per core");  // inside the closing parenthesis
      return problem_with(key, value, *problem);
    }
    settings.threads = static_cast<std::uint32_t>(*parse_int(value));
  } else if (key == "batch_interval") {
    if (auto error = problem_with(key, value, duration_problem(value, std::chrono::milliseconds(1))))
      return error;
    settings.batch_interval = std::chrono::duration_cast<std::chrono::milliseconds>(*parse_duration(value));
  } else if (key == "repositories") {
    static const std::vector<std::string> kKinds{"disk", "memory"};
    if (auto error = problem_with(key, value, choice_problem(value, kKinds))) return error;
    settings.memory_repositories = value == "memory";
  } else if (key == "content_archive") {
    if (auto error = problem_with(key, value, size_problem(value))) return error;
    settings.content_archive_bytes = *parse_size(value);
  } else if (key == "content_archive_age") {
    if (auto error = problem_with(key, value, duration_problem(value))) return error;
    settings.content_archive_age = std::chrono::duration_cast<std::chrono::seconds>(*parse_duration(value));
  } else if (key.starts_with(kProvenancePrefix)) {
    return set_provenance_setting(settings.provenance, key, key.substr(kProvenancePrefix.size()), value);
  } else if (key == "provenance") {
    return fmt::format(
        "setting 'provenance' is a mapping: set one of its keys, e.g. provenance.enabled=false "
        "(keys: {})",
        join(provenance_setting_keys()));
  } else if (key == "checkpoint_log") {
    if (auto error = problem_with(key, value, size_problem(value, 1))) return error;
    settings.checkpoint_log_bytes = *parse_size(value);
  } else {
    return fmt::format("unknown setting '{}'{}", key, name_hint(key, setting_keys()));
  }
  return std::nullopt;
}

std::vector<Diagnostic> apply_setting_override(SettingsModel& settings, std::string_view key,
                                               std::string_view value) {
  std::vector<Diagnostic> diagnostics;
  if (auto error = set_setting(settings, key, value)) command_line_problem(diagnostics, std::move(*error));
  return diagnostics;
}

std::vector<Diagnostic> apply_setting_override(SettingsModel& settings, std::string_view assignment) {
  const auto equals = assignment.find('=');
  if (equals == std::string_view::npos || equals == 0) {
    std::vector<Diagnostic> diagnostics;
    command_line_problem(
        diagnostics, fmt::format("setting override '{}' is not of the form key=value (e.g. durability=batch)",
                                 assignment));
    return diagnostics;
  }
  return apply_setting_override(settings, assignment.substr(0, equals), assignment.substr(equals + 1));
}

}  // namespace sluice::internal
