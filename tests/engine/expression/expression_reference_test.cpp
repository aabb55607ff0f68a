// The function table is the single source of the reference page: the page must be what the table
// generates, every example in it must give the result it shows, and every function must have cases in
// tests/expression.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "expression/function_table.hpp"
#include "expression/parser.hpp"
#include "expression/reference.hpp"
#include "expression_cases.hpp"
#include "sluice/expression.hpp"

namespace sluice::internal {
namespace {

TEST(ExpressionReference, DocsPageIsWhatTheTableGenerates) {
  const std::filesystem::path page =
      std::filesystem::path(SLUICE_TEST_DATA_DIR) / ".." / "docs" / "expression-language.md";
  if (std::getenv("SLUICE_REGENERATE_DOCS") != nullptr) {
    std::ofstream(page) << expression_reference_markdown();
  }
  std::ifstream in(page);
  ASSERT_TRUE(in) << "missing " << page;
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), expression_reference_markdown())
      << "docs/expression-language.md is stale: regenerate it with SLUICE_REGENERATE_DOCS=1 "
         "build/bin/engine_tests --gtest_filter=ExpressionReference.DocsPageIsWhatTheTableGenerates";
}

TEST(ExpressionReference, EveryExampleGivesItsDocumentedResult) {
  MapVariables::Map attributes;
  for (const auto& a : el::example_attributes()) attributes.emplace(a.name, a.value);
  const MapVariables variables(attributes);
  const EvaluationEnvironment env{el::kExampleNowMs};
  for (const auto& f : el::function_table()) {
    SCOPED_TRACE(std::string(f.name) + ": " + std::string(f.example));
    ASSERT_FALSE(f.example.empty());
    ASSERT_NE(f.example.find(std::string(f.name) + "("), std::string_view::npos) << "the example must use it";
    try {
      EXPECT_EQ(Expression::compile(f.example).evaluate(variables, env), f.example_result);
    } catch (const ExpressionError& e) {
      ADD_FAILURE() << "column " << e.column() << ": " << e.what();
    }
  }
}

void collect_functions(std::string_view text, std::set<std::string, std::less<>>& used) {
  try {
    const auto program = el::compile_program(text);
    for (const auto& node : program->nodes) {
      if (node.function != nullptr) used.emplace(node.function->name);
    }
  } catch (const ExpressionError&) {
    // An error case names its function in the text; the table lookup below covers it.
  }
}

TEST(ExpressionReference, EveryFunctionHasCases) {
  std::set<std::string, std::less<>> used;
  for (const auto& c : sluice::testing::load_expression_cases()) collect_functions(c.expression, used);
  std::string missing;
  for (const auto& f : el::function_table()) {
    if (!used.contains(f.name)) missing += " " + std::string(f.name);
  }
  EXPECT_TRUE(missing.empty()) << "functions without a case in tests/expression/*.test:" << missing;
}

TEST(ExpressionReference, EveryTableEntryIsConsistent) {
  std::set<std::string_view> names;
  for (const auto& f : el::function_table()) {
    SCOPED_TRACE(std::string(f.name));
    EXPECT_TRUE(names.insert(f.name).second) << "listed twice";
    EXPECT_TRUE(f.signature.starts_with(std::string(f.name) + "(")) << f.signature;
    EXPECT_FALSE(f.description.empty());
    EXPECT_LE(f.min_args, f.max_args);
    const bool multi = f.subject == el::SubjectUse::kMulti;
    EXPECT_EQ(multi, f.impl == nullptr)
        << "every function but the multi-attribute subjects has an implementation";
    EXPECT_EQ(multi, f.multi != el::MultiMode::kNone);
    EXPECT_EQ(el::find_function(f.name), &f);
  }
}

}  // namespace
}  // namespace sluice::internal
