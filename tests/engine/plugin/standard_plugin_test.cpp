// The standard plugin as the engine sees it: loadable, and its specs well-formed. Specs are the single
// source of truth for validation and docs, so a missing description or an unparsable default is a bug.
#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "plugin/plugin_loader.hpp"
#include "sluice/units.hpp"

namespace sluice::internal {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const fs::path kStandardPlugin = fs::path(SLUICE_PLUGIN_DIR) / "libsluice_standard.so";

class StandardPluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto error = loader_.load_file(kStandardPlugin, registry_);
    ASSERT_FALSE(error.has_value()) << error->message();
  }

  ProcessorRegistry registry_;
  PluginLoader loader_;
};

// Whether `value` is a valid value of `property` as written in a flow.
bool parses(const PropertySpec& property, const std::string& value) {
  switch (property.kind) {
    case PropertyKind::kString:
    case PropertyKind::kExpression:
    case PropertyKind::kService: return true;
    case PropertyKind::kInt: return parse_int(value).has_value();
    case PropertyKind::kBool: return parse_bool(value).has_value();
    case PropertyKind::kSize: return parse_size(value).has_value();
    case PropertyKind::kDuration: return parse_duration(value).has_value();
    case PropertyKind::kRegex:
      try {
        std::regex r(value);
        return true;
      } catch (const std::regex_error&) {
        return false;
      }
    case PropertyKind::kEnum:
      for (const auto& allowed : property.allowed_values) {
        if (allowed.value == value) return true;
      }
      return false;
  }
  return false;
}

bool snake_case(const std::string& name) {
  return std::regex_match(name, std::regex("[a-z][a-z0-9]*(_[a-z0-9]+)*"));
}

TEST_F(StandardPluginTest, RegistersTheStandardProcessors) {
  std::set<std::string> types;
  for (const auto* definition : registry_.all()) types.insert(definition->spec.type);
  EXPECT_EQ(types, (std::set<std::string>{
                       "AttributesToJSON", "CompressContent", "ControlRate", "DetectDuplicate",
                       "DuplicateFlowFile", "ExtractText", "GenerateFlowFile", "GetFile", "HashContent",
                       "IdentifyMimeType", "LogAttribute", "MergeContent", "PutFile", "ReplaceText",
                       "RouteOnAttribute", "RouteOnContent", "SplitText", "UpdateAttribute"}));
  ASSERT_EQ(loader_.loaded().size(), 1U);
  EXPECT_EQ(loader_.loaded()[0].name, "standard");
  EXPECT_THAT(registry_.origin("GetFile"), HasSubstr("plugin 'standard'"));
}

TEST_F(StandardPluginTest, SpecsAreWellFormed) {
  for (const auto* definition : registry_.all()) {
    const ProcessorSpec& spec = definition->spec;
    SCOPED_TRACE(spec.type);
    EXPECT_NE(definition->create, nullptr);
    EXPECT_FALSE(spec.summary.empty());
    EXPECT_FALSE(spec.description.empty());
    EXPECT_FALSE(spec.tags.empty());
    EXPECT_FALSE(spec.relationships.empty());

    std::set<std::string> names;
    for (const auto& property : spec.properties) {
      SCOPED_TRACE(property.name);
      EXPECT_TRUE(snake_case(property.name));
      EXPECT_TRUE(names.insert(property.name).second) << "declared twice";
      EXPECT_FALSE(property.description.empty());
      EXPECT_EQ(property.kind == PropertyKind::kEnum, !property.allowed_values.empty());
      for (const auto& allowed : property.allowed_values) EXPECT_FALSE(allowed.description.empty());
      if (property.default_value) {
        EXPECT_FALSE(property.required) << "a required property with a default is never missing";
        EXPECT_TRUE(parses(property, *property.default_value)) << *property.default_value;
      }
    }
    EXPECT_FALSE(spec.examples.empty()) << "the generated docs show an example of every processor";
    // A condition names an enum property of the spec and only values it allows.
    auto check_condition = [&](const PropertyCondition& c) {
      const PropertySpec* property = spec.find_property(c.property);
      ASSERT_NE(property, nullptr) << c.property;
      EXPECT_EQ(property->kind, PropertyKind::kEnum) << c.property;
      for (const auto& value : c.values) {
        EXPECT_TRUE(std::any_of(property->allowed_values.begin(), property->allowed_values.end(),
                                [&](const AllowedValue& a) { return a.value == value; }))
            << c.property << ": " << value;
      }
    };
    for (const auto& relationship : spec.relationships) {
      EXPECT_TRUE(snake_case(relationship.name)) << relationship.name;
      EXPECT_FALSE(relationship.description.empty()) << relationship.name;
      if (relationship.only_when) check_condition(*relationship.only_when);
    }
    if (spec.dynamic_relationships) EXPECT_TRUE(spec.dynamic_properties);
    if (spec.dynamic_relationships_when) check_condition(*spec.dynamic_relationships_when);
  }
}

TEST_F(StandardPluginTest, InputRequirements) {
  EXPECT_EQ(registry_.find("GenerateFlowFile")->spec.input, InputRequirement::kForbidden);
  EXPECT_EQ(registry_.find("GetFile")->spec.input, InputRequirement::kForbidden);
  EXPECT_EQ(registry_.find("PutFile")->spec.input, InputRequirement::kRequired);
  EXPECT_EQ(registry_.find("LogAttribute")->spec.input, InputRequirement::kRequired);
}

TEST_F(StandardPluginTest, PutFileRoutesFailures) {
  const ProcessorSpec& spec = registry_.find("PutFile")->spec;
  EXPECT_NE(spec.find_relationship("success"), nullptr);
  EXPECT_NE(spec.find_relationship("failure"), nullptr);
  ASSERT_NE(spec.find_property("conflict"), nullptr);
  EXPECT_EQ(spec.find_property("conflict")->default_value, "fail");
}

TEST_F(StandardPluginTest, CreatesProcessors) {
  for (const auto* definition : registry_.all()) {
    EXPECT_NE(definition->create(), nullptr) << definition->spec.type;
  }
}

}  // namespace
}  // namespace sluice::internal
