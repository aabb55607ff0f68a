// Property specs and parsing shared by the record reader and writer services: schema selection
// (`schema` inline / `schema_file` / infer), single characters such as delimiters, and lists.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "csv_reader.hpp"
#include "sluice/context.hpp"
#include "sluice/record.hpp"
#include "sluice/spec.hpp"

namespace sluice::records {

struct SchemaSetting {
  SchemaMode mode = SchemaMode::kInfer;
  DataTypePtr schema;
};

// `schema` (infer | strings | inherit | Avro schema JSON) and `schema_file` (a path to Avro schema JSON).
// Throws ProcessorError naming the property when the schema is invalid or the file cannot be read.
SchemaSetting schema_setting(const ComponentContext& context);
std::vector<PropertySpec> schema_properties(std::string default_mode, std::string modes_description);

// A one-character property: the character itself, or `\t`/`tab`, or empty for none.
char char_property(const ComponentContext& context, std::string_view name);
// A comma-separated list property, items trimmed (empty items kept).
std::vector<std::string> list_property(const ComponentContext& context, std::string_view name);

}  // namespace sluice::records
