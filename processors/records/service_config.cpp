#include "service_config.hpp"

#include <fstream>
#include <sstream>

#include "spec_helpers.hpp"
#include "text_lists.hpp"

namespace sluice::records {

using standard::optional_property;

SchemaSetting schema_setting(const ComponentContext& context) {
  SchemaSetting s;
  const std::string file = context.string_property("schema_file");
  std::string text = context.string_property("schema");
  std::string source = "property 'schema'";
  if (!file.empty()) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ProcessorError("schema_file: cannot read '" + file + "'");
    std::ostringstream ss;
    ss << in.rdbuf();
    text = ss.str();
    source = "schema_file '" + file + "'";
  }
  if (text.empty() || text == "infer" || text == "inherit") {
    s.mode = SchemaMode::kInfer;
  } else if (text == "strings") {
    s.mode = SchemaMode::kStrings;
  } else {
    try {
      s.schema = parse_avro_schema(text);
      s.mode = SchemaMode::kGiven;
    } catch (const SchemaError& e) {
      throw ProcessorError(source + ": " + e.what());
    }
  }
  return s;
}

std::vector<PropertySpec> schema_properties(std::string default_mode, std::string modes_description) {
  return {
      optional_property(
          "schema", PropertyKind::kString, std::move(default_mode),
          std::move(modes_description) + " Otherwise an Avro schema (JSON) whose root is a record."),
      optional_property("schema_file", PropertyKind::kString, std::nullopt,
                        "A file holding the Avro schema JSON; takes precedence over `schema`."),
  };
}

char char_property(const ComponentContext& context, std::string_view name) {
  const std::string v = context.string_property(name);
  if (v.empty()) return '\0';
  if (v == "\\t" || v == "tab" || v == "\t") return '\t';
  if (v.size() != 1) {
    throw ProcessorError("property '" + std::string(name) + "' must be a single character, got '" + v + "'");
  }
  return v[0];
}

std::vector<std::string> list_property(const ComponentContext& context, std::string_view name) {
  return split_trimmed(context.string_property(name), ',');
}

}  // namespace sluice::records
