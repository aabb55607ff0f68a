// The record processors and the record reader/writer services, exported as the plugin "records".
// Definitions are function-local statics, built inside the manifest call where the loader can catch a
// failure.
#include "sluice/plugin.hpp"

#include "aggregate_record.hpp"
#include "avro_services.hpp"
#include "convert_record.hpp"
#include "csv_services.hpp"
#include "filter_record.hpp"
#include "json_services.hpp"
#include "merge_record.hpp"
#include "parquet_services.hpp"
#include "partition_record.hpp"
#include "split_record.hpp"
#include "update_record.hpp"
#include "validate_record.hpp"

SLUICE_PLUGIN_EXPORT const ::sluice::PluginManifest* sluice_plugin_manifest() {
  using namespace sluice::records;  // NOLINT(google-build-using-namespace): a list of this plugin's
                                    // definitions
  static const sluice::ProcessorDefinition* const kProcessors[] = {
      &convert_record_definition(),   &validate_record_definition(), &update_record_definition(),
      &partition_record_definition(), &split_record_definition(),    &merge_record_definition(),
      &filter_record_definition(),    &aggregate_record_definition()};
  static const sluice::ServiceDefinition* const kServices[] = {
      &csv_reader_definition(),    &csv_writer_definition(),  &json_reader_definition(),
      &json_writer_definition(),   &avro_reader_definition(), &avro_writer_definition(),
      &parquet_writer_definition()};
  static const sluice::PluginManifest kManifest{
      sluice::kSdkAbiVersion, "records", std::span<const sluice::ProcessorDefinition* const>(kProcessors),
      std::span<const sluice::ServiceDefinition* const>(kServices)};
  return &kManifest;
}
