// The record processors and the record reader/writer services, exported as the plugin "records".
#include "sluice/plugin.hpp"

namespace {
const sluice::ProcessorDefinition* const kProcessors[] = {nullptr};
const sluice::ServiceDefinition* const kServices[] = {nullptr};
}  // namespace

SLUICE_PLUGIN_WITH_SERVICES("records", std::span(kProcessors, 0), std::span(kServices, 0))
