// The Expression API beyond single cases (those are in tests/expression/*.test): shapes and fast paths,
// error columns, reentrancy and concurrent evaluation of one compiled expression.
#include "sluice/expression.hpp"

#include <cstdio>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace sluice {
namespace {

const EvaluationEnvironment kEnv{1'700'000'000'000};

TEST(ExpressionTest, TheDefaultIsTheEmptyLiteral) {
  const Expression e;
  const MapVariables::Map none;
  EXPECT_TRUE(e.is_literal());
  EXPECT_FALSE(e.references_variables());
  EXPECT_EQ(e.text(), "");
  EXPECT_EQ(e.evaluate(MapVariables(none), kEnv), "");
  EXPECT_FALSE(e.evaluate_bool(MapVariables(none), kEnv));
}

TEST(ExpressionTest, ShapesAreKnownAfterCompiling) {
  const Expression plain = Expression::compile("plain $ text");
  EXPECT_TRUE(plain.is_literal());
  EXPECT_EQ(plain.text(), "plain $ text");
  EXPECT_FALSE(plain.references_variables());

  const Expression escaped = Expression::compile("$${x}");
  EXPECT_TRUE(escaped.is_literal());
  EXPECT_EQ(escaped.text(), "$${x}");  // the text as written; evaluate() gives "${x}"

  const Expression clock = Expression::compile("${now():format('yyyy')}");
  EXPECT_FALSE(clock.is_literal());
  EXPECT_FALSE(clock.references_variables());

  EXPECT_TRUE(Expression::compile("${a}").references_variables());
  EXPECT_TRUE(Expression::compile("x${a:toUpper()}").references_variables());
  EXPECT_TRUE(Expression::compile("${anyMatchingAttribute('a.*'):isEmpty()}").references_variables());
}

TEST(ExpressionTest, EscapedLiteralEvaluatesWithoutTheEscape) {
  const MapVariables::Map attrs{{"x", "1"}};
  EXPECT_EQ(Expression::compile("$${x} is ${x}").evaluate(MapVariables(attrs), kEnv), "${x} is 1");
}

TEST(ExpressionTest, SyntaxErrorsCarryTheirColumn) {
  struct Case {
    const char* text;
    std::size_t column;
  };
  for (const Case& c : {Case{"${a", 1}, Case{"abc ${a:toUpper(}", 17}, Case{"${a:nope()}", 5},
                        Case{"${a:substring('x')}", 15}, Case{"${a}${b:}", 9}, Case{"${a:append('x)}", 12}}) {
    SCOPED_TRACE(c.text);
    try {
      (void)Expression::compile(c.text);
      ADD_FAILURE() << "compiled";
    } catch (const ExpressionError& e) {
      EXPECT_EQ(e.column(), c.column) << e.what();
    }
  }
}

// A variable source that evaluates another expression for each lookup: evaluations nest on one thread.
class NestedVariables final : public VariableSource {
 public:
  explicit NestedVariables(const MapVariables::Map& attrs) : inner_(attrs) {}
  std::optional<std::string_view> lookup(std::string_view name, std::string& scratch) const override {
    scratch = inner_expression_.evaluate(inner_, kEnv) + ":" + std::string(name);
    return std::string_view(scratch);
  }
  void for_each(const std::function<void(std::string_view, std::string_view)>& /*fn*/) const override {}

 private:
  MapVariables inner_;
  Expression inner_expression_ = Expression::compile("${v:toUpper():append('!')}");
};

TEST(ExpressionTest, EvaluationsMayNest) {
  const MapVariables::Map attrs{{"v", "in"}};
  const NestedVariables variables(attrs);
  const Expression outer = Expression::compile("${a:append(${b}):toLower()}/${c}");
  EXPECT_EQ(outer.evaluate(variables, kEnv), "in!:ain!:b/IN!:c");
}

TEST(ExpressionTest, OneCompiledExpressionServesManyThreads) {
  const Expression e = Expression::compile("${n:toNumber():multiply(2):toRadix(16, 6)}-${n:padLeft(5, '0')}");
  std::vector<std::thread> threads;
  threads.reserve(4);
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const int n = t * 100'000 + i;
        const MapVariables::Map attrs{{"n", std::to_string(n)}};
        char expected[64];
        std::snprintf(expected, sizeof expected, "%06x-%05d", n * 2, n);
        if (e.evaluate(MapVariables(attrs), kEnv) != expected) ++failures[static_cast<std::size_t>(t)];
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

TEST(ExpressionTest, EvaluateBoolReadsBooleansAndText) {
  const MapVariables::Map attrs{{"flag", " TRUE "}, {"n", "7"}};
  const MapVariables vars(attrs);
  EXPECT_TRUE(Expression::compile("${n:gt(5)}").evaluate_bool(vars, kEnv));
  EXPECT_FALSE(Expression::compile("${n:gt(7)}").evaluate_bool(vars, kEnv));
  EXPECT_TRUE(Expression::compile("${flag}").evaluate_bool(vars, kEnv));
  EXPECT_FALSE(Expression::compile("${n}").evaluate_bool(vars, kEnv));
  EXPECT_TRUE(Expression::compile("true").evaluate_bool(vars, kEnv));
}

}  // namespace
}  // namespace sluice
