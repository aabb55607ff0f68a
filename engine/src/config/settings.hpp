// The flow's `settings:` keys, shared by the YAML parser and command-line overrides (--set key=value) so
// both accept exactly the same keys and values with the same messages.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/flow_model.hpp"

namespace sluice::internal {

// durability, threads, batch_interval, repositories, content_archive, content_archive_age, checkpoint_log.
const std::vector<std::string>& setting_keys();

// Sets `key` from its text; returns the full error message if the key is unknown or the value is invalid,
// leaving `settings` unchanged.
std::optional<std::string> set_setting(SettingsModel& settings, std::string_view key, std::string_view value);

// A command-line override. Diagnostics are positioned in the pseudo-file "command line".
std::vector<Diagnostic> apply_setting_override(SettingsModel& settings, std::string_view key,
                                               std::string_view value);
// The same for "key=value" as typed after --set.
std::vector<Diagnostic> apply_setting_override(SettingsModel& settings, std::string_view assignment);

}  // namespace sluice::internal
