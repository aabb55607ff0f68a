// Registers every case of tests/expression/*.test as its own test, named after its file and line
// (ExpressionCases.strings_L42), so a failure points at the line to look at. Adding a case is adding a line.
#include "expression_cases.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "sluice/expression.hpp"

namespace sluice::testing {
namespace {

class ExpressionCaseTest : public ::testing::Test {
 public:
  explicit ExpressionCaseTest(ExpressionCase c) : case_(std::move(c)) {}

  void TestBody() override {
    const std::string where = fmt::format("tests/{}:{}: {}", case_.file, case_.line, case_.expression);
    SCOPED_TRACE(where);
    const MapVariables variables(case_.attributes);
    const EvaluationEnvironment env{case_.now_ms};
    if (case_.kind == ExpressionCase::Kind::kError) {
      try {
        const auto result = Expression::compile(case_.expression).evaluate(variables, env);
        ADD_FAILURE() << "expected an error containing '" << case_.expected << "', got the result '" << result
                      << "'";
      } catch (const ExpressionError& e) {
        EXPECT_NE(std::string(e.what()).find(case_.expected), std::string::npos)
            << "message: " << e.what() << "\nexpected it to contain: " << case_.expected;
        EXPECT_EQ(e.column(), case_.error_column) << "message: " << e.what();
      }
      return;
    }
    try {
      const Expression e = Expression::compile(case_.expression);
      if (case_.kind == ExpressionCase::Kind::kBool) {
        EXPECT_EQ(e.evaluate_bool(variables, env) ? "true" : "false", case_.expected);
      } else {
        EXPECT_EQ(e.evaluate(variables, env), case_.expected);
      }
    } catch (const ExpressionError& e) {
      ADD_FAILURE() << "unexpected error at column " << e.column() << ": " << e.what();
    }
  }

 private:
  ExpressionCase case_;
};

std::string test_name(const ExpressionCase& c) {
  std::string stem = c.file.substr(c.file.find('/') + 1);
  stem = stem.substr(0, stem.find('.'));
  return fmt::format("{}_L{}", stem, c.line);
}

class BrokenCaseFile : public ::testing::Test {
 public:
  explicit BrokenCaseFile(std::string message) : message_(std::move(message)) {}
  void TestBody() override { ADD_FAILURE() << message_; }

 private:
  std::string message_;
};

const bool kRegistered = [] {
  std::vector<ExpressionCase> cases;
  try {
    cases = load_expression_cases();
  } catch (const std::exception& e) {
    ::testing::RegisterTest(
        "ExpressionCases", "CaseFilesParse", nullptr, nullptr, __FILE__, __LINE__,
        [message = std::string(e.what())]() -> ::testing::Test* { return new BrokenCaseFile(message); });
    return false;
  }
  for (auto& c : cases) {
    const std::string name = test_name(c);
    const std::string file = std::string(SLUICE_TEST_DATA_DIR) + "/" + c.file;
    const int line = c.line;
    ::testing::RegisterTest("ExpressionCases", name.c_str(), nullptr, nullptr, file.c_str(), line,
                            [c = std::move(c)]() -> ::testing::Test* { return new ExpressionCaseTest(c); });
  }
  return true;
}();

}  // namespace
}  // namespace sluice::testing
