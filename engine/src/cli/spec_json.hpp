// Processor and service specs as JSON: the form `sluice processors --json` prints and tools (UI forms,
// external doc sites) consume.
#pragma once

#include <nlohmann/json.hpp>

#include "sluice/spec.hpp"

namespace sluice::cli {

nlohmann::json spec_to_json(const ProcessorSpec& spec);
nlohmann::json spec_to_json(const ServiceSpec& spec);

const char* kind_name(PropertyKind kind);
const char* input_name(InputRequirement input);
const char* status_name(Status status);

}  // namespace sluice::cli
