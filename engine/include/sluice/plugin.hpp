// What a plugin library exports: one manifest naming the SDK ABI it was built against and its processors.
//
//   SLUICE_PLUGIN("standard", &generate_flowfile_definition, &get_file_definition)
//
// The engine loads the library with Boost.DLL, checks the ABI version and registers each definition;
// a duplicate processor type is a hard error.
#pragma once

#include <cstdint>
#include <span>

#include "sluice/processor.hpp"

namespace sluice {

// Bump on any change to an SDK type's layout or virtual interface.
inline constexpr std::uint32_t kSdkAbiVersion = 1;

struct PluginManifest {
  std::uint32_t abi_version = 0;
  const char* name = nullptr;
  std::span<const ProcessorDefinition* const> processors;
};

inline constexpr const char* kManifestSymbol = "sluice_plugin_manifest";
using ManifestFunction = const PluginManifest*();

}  // namespace sluice

#define SLUICE_PLUGIN(plugin_name, ...)                                                          \
  extern "C" __attribute__((visibility("default"))) const ::sluice::PluginManifest*            \
  sluice_plugin_manifest() {                                                                     \
    static const ::sluice::ProcessorDefinition* const definitions[] = {__VA_ARGS__};             \
    static const ::sluice::PluginManifest manifest{::sluice::kSdkAbiVersion, plugin_name,        \
                                                    std::span<const ::sluice::ProcessorDefinition* const>( \
                                                        definitions)};                           \
    return &manifest;                                                                            \
  }
