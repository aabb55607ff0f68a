// The database processors and the DatabaseConnection service, exported as the plugin "database".
#include "sluice/plugin.hpp"

#include "database_connection.hpp"
#include "execute_sql.hpp"
#include "put_database_record.hpp"
#include "query_database_table.hpp"

SLUICE_PLUGIN_EXPORT const ::sluice::PluginManifest* sluice_plugin_manifest() {
  using namespace sluice::database;  // NOLINT(google-build-using-namespace): a list of this plugin's
                                     // definitions
  static const sluice::ProcessorDefinition* const kProcessors[] = {
      &put_database_record_definition(), &query_database_table_definition(), &execute_sql_definition()};
  static const sluice::ServiceDefinition* const kServices[] = {&database_connection_definition()};
  static const sluice::PluginManifest kManifest{
      sluice::kSdkAbiVersion, "database", std::span<const sluice::ProcessorDefinition* const>(kProcessors),
      std::span<const sluice::ServiceDefinition* const>(kServices)};
  return &kManifest;
}
