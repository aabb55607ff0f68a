// What a plugin library exports: one manifest naming the SDK ABI it was built against, its processors and
// its controller services.
//
//   SLUICE_PLUGIN("standard", &generate_flowfile_definition(), &get_file_definition())
//
// or, with services, from arrays the plugin defines:
//
//   const sluice::ProcessorDefinition* const kProcessors[] = {&convert_record_definition()};
//   const sluice::ServiceDefinition* const kServices[] = {&csv_reader_definition()};
//   SLUICE_PLUGIN_WITH_SERVICES("records", kProcessors, kServices)
//
// The engine loads the library with Boost.DLL, checks the ABI version and registers each definition;
// a duplicate processor or service type is a hard error.
#pragma once

#include <cstdint>
#include <span>

#include "sluice/processor.hpp"
#include "sluice/service.hpp"

namespace sluice {

// Bump on any change to an SDK type's layout or virtual interface.
inline constexpr std::uint32_t kSdkAbiVersion = 5;

struct PluginManifest {
  std::uint32_t abi_version = 0;
  const char* name = nullptr;
  std::span<const ProcessorDefinition* const> processors;
  std::span<const ServiceDefinition* const> services;
};

inline constexpr const char* kManifestSymbol = "sluice_plugin_manifest";
using ManifestFunction = const PluginManifest*();

}  // namespace sluice

#define SLUICE_PLUGIN_EXPORT extern "C" __attribute__((visibility("default")))

#define SLUICE_PLUGIN(plugin_name, ...)                                              \
  SLUICE_PLUGIN_EXPORT const ::sluice::PluginManifest* sluice_plugin_manifest() {    \
    static const ::sluice::ProcessorDefinition* const definitions[] = {__VA_ARGS__}; \
    static const ::sluice::PluginManifest manifest{                                  \
        ::sluice::kSdkAbiVersion,                                                    \
        plugin_name,                                                                 \
        std::span<const ::sluice::ProcessorDefinition* const>(definitions),          \
        {}};                                                                         \
    return &manifest;                                                                \
  }

#define SLUICE_PLUGIN_WITH_SERVICES(plugin_name, processor_array, service_array)  \
  SLUICE_PLUGIN_EXPORT const ::sluice::PluginManifest* sluice_plugin_manifest() { \
    static const ::sluice::PluginManifest manifest{                               \
        ::sluice::kSdkAbiVersion, plugin_name,                                    \
        std::span<const ::sluice::ProcessorDefinition* const>(processor_array),   \
        std::span<const ::sluice::ServiceDefinition* const>(service_array)};      \
    return &manifest;                                                             \
  }
