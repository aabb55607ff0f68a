// The flow's `settings:` keys, shared by the YAML parser and command-line overrides (--set key=value) so
// both accept exactly the same keys and values with the same messages.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/flow_model.hpp"

namespace sluice::internal {

// durability, threads, batch_interval, repositories, content_archive, content_archive_age, checkpoint_log,
// provenance (a mapping of the keys below).
const std::vector<std::string>& setting_keys();
// enabled, max_age, max_size, indexed_attributes: under `provenance:` in a flow, `provenance.<key>` on the
// command line.
const std::vector<std::string>& provenance_setting_keys();

// Sets `key` from its text; returns the full error message if the key is unknown or the value is invalid,
// leaving `settings` unchanged. Provenance keys are `provenance.<key>`; indexed_attributes takes a
// comma-separated list.
std::optional<std::string> set_setting(SettingsModel& settings, std::string_view key, std::string_view value);

// A command-line override. Diagnostics are positioned in the pseudo-file "command line".
std::vector<Diagnostic> apply_setting_override(SettingsModel& settings, std::string_view key,
                                               std::string_view value);
// The same for "key=value" as typed after --set.
std::vector<Diagnostic> apply_setting_override(SettingsModel& settings, std::string_view assignment);

}  // namespace sluice::internal
