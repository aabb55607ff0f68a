// Arithmetic with NiFi's rules: whole numbers stay whole (Java long, divide truncates) unless a decimal takes
// part; a string that is not a number is an error, an absent value gives null.
#include <cmath>
#include <limits>
#include <random>

#include <fmt/format.h>

#include "expression/functions.hpp"

namespace sluice::internal::el::fn {

namespace {

enum class Op : std::uint8_t { kPlus, kMinus, kMultiply, kDivide, kMod };

std::int64_t wrapping(std::uint64_t v) {
  return static_cast<std::int64_t>(v);  // Java's long arithmetic wraps on overflow
}

Value arithmetic(const Call& c, Op op) {
  auto a = to_number(c.subject(), c);
  if (!a) return Value::null();
  auto b = to_number(c.arg(0), c);
  if (!b) return Value::null();
  if (!a->is_decimal && !b->is_decimal) {
    const auto x = static_cast<std::uint64_t>(a->whole);
    const auto y = static_cast<std::uint64_t>(b->whole);
    switch (op) {
      case Op::kPlus: return Value::of_whole(wrapping(x + y));
      case Op::kMinus: return Value::of_whole(wrapping(x - y));
      case Op::kMultiply: return Value::of_whole(wrapping(x * y));
      case Op::kDivide:
      case Op::kMod:
        if (b->whole == 0) c.fail("division by zero");
        if (b->whole == -1) return Value::of_whole(op == Op::kMod ? 0 : wrapping(0 - x));
        return Value::of_whole(op == Op::kDivide ? a->whole / b->whole : a->whole % b->whole);
    }
  }
  const double x = a->as_double();
  const double y = b->as_double();
  switch (op) {
    case Op::kPlus: return Value::of_decimal(x + y);
    case Op::kMinus: return Value::of_decimal(x - y);
    case Op::kMultiply: return Value::of_decimal(x * y);
    case Op::kDivide: return Value::of_decimal(x / y);
    case Op::kMod: return Value::of_decimal(std::fmod(x, y));
  }
  return Value::null();
}

constexpr std::string_view kDigits = "0123456789abcdefghijklmnopqrstuvwxyz";

// java.lang.Math's functions by name: one argument (the subject), two (subject and argument), none.
struct MathOp {
  std::string_view name;
  int arity;  // 0: subjectless, 1: subject, 2: subject and argument
  double (*fn)(double, double);
};

constexpr MathOp kMathOps[] = {
    {"abs", 1, [](double x, double) { return std::fabs(x); }},
    {"sqrt", 1, [](double x, double) { return std::sqrt(x); }},
    {"cbrt", 1, [](double x, double) { return std::cbrt(x); }},
    {"ceil", 1, [](double x, double) { return std::ceil(x); }},
    {"floor", 1, [](double x, double) { return std::floor(x); }},
    {"rint", 1, [](double x, double) { return std::nearbyint(x); }},
    {"round", 1, [](double x, double) { return std::floor(x + 0.5); }},
    {"signum", 1, [](double x, double) { return x > 0 ? 1.0 : (x < 0 ? -1.0 : x); }},
    {"exp", 1, [](double x, double) { return std::exp(x); }},
    {"log", 1, [](double x, double) { return std::log(x); }},
    {"log10", 1, [](double x, double) { return std::log10(x); }},
    {"sin", 1, [](double x, double) { return std::sin(x); }},
    {"cos", 1, [](double x, double) { return std::cos(x); }},
    {"tan", 1, [](double x, double) { return std::tan(x); }},
    {"asin", 1, [](double x, double) { return std::asin(x); }},
    {"acos", 1, [](double x, double) { return std::acos(x); }},
    {"atan", 1, [](double x, double) { return std::atan(x); }},
    {"toDegrees", 1, [](double x, double) { return x * 180.0 / M_PI; }},
    {"toRadians", 1, [](double x, double) { return x / 180.0 * M_PI; }},
    {"pow", 2, [](double x, double y) { return std::pow(x, y); }},
    {"max", 2, [](double x, double y) { return std::fmax(x, y); }},
    {"min", 2, [](double x, double y) { return std::fmin(x, y); }},
    {"hypot", 2, [](double x, double y) { return std::hypot(x, y); }},
    {"atan2", 2, [](double x, double y) { return std::atan2(x, y); }},
    {"random", 0, nullptr},
};

const MathOp* find_math(std::string_view name) {
  for (const auto& op : kMathOps) {
    if (op.name == name) return &op;
  }
  return nullptr;
}

std::string math_names() {
  std::string names;
  for (const auto& op : kMathOps) names += (names.empty() ? "" : ", ") + std::string(op.name);
  return names;
}

}  // namespace

Value plus(const Call& c) {
  return arithmetic(c, Op::kPlus);
}
Value minus(const Call& c) {
  return arithmetic(c, Op::kMinus);
}
Value multiply(const Call& c) {
  return arithmetic(c, Op::kMultiply);
}
Value divide(const Call& c) {
  return arithmetic(c, Op::kDivide);
}
Value mod(const Call& c) {
  return arithmetic(c, Op::kMod);
}

Value to_number(const Call& c) {
  auto n = el::to_number(c.subject(), c);
  if (!n) return Value::null();
  if (!n->is_decimal) return Value::of_whole(n->whole);
  if (!std::isfinite(n->decimal) || std::fabs(n->decimal) >= 9.2e18) {
    c.fail(fmt::format("'{}' is out of the range of a whole number", c.subject_text()));
  }
  return Value::of_whole(static_cast<std::int64_t>(n->decimal));  // truncates, as Java's long cast
}

Value to_decimal(const Call& c) {
  auto n = el::to_number(c.subject(), c);
  return n ? Value::of_decimal(n->as_double()) : Value::null();
}

Value to_radix(const Call& c) {
  auto n = el::to_number(c.subject(), c);
  if (!n) return Value::null();
  const std::int64_t radix = c.whole_arg(0);
  if (radix < 2 || radix > 36) c.fail(fmt::format("radix {} is not between 2 and 36", radix));
  const std::int64_t width = c.arg_count() > 1 ? c.whole_arg(1) : 0;
  std::uint64_t magnitude =
      n->whole < 0 ? 0 - static_cast<std::uint64_t>(n->whole) : static_cast<std::uint64_t>(n->whole);
  if (n->is_decimal) magnitude = static_cast<std::uint64_t>(std::fabs(n->decimal));
  std::string digits;
  do {
    digits.insert(digits.begin(), kDigits[magnitude % static_cast<std::uint64_t>(radix)]);
    magnitude /= static_cast<std::uint64_t>(radix);
  } while (magnitude != 0);
  std::string& out = c.buffer();
  if ((n->is_decimal ? n->decimal : static_cast<double>(n->whole)) < 0) out += '-';
  if (static_cast<std::int64_t>(digits.size()) < width) {
    out.append(static_cast<std::size_t>(width) - digits.size(), '0');
  }
  out += digits;
  return Value::string(out);
}

Value from_radix(const Call& c) {
  if (c.subject().is_null()) return Value::null();
  const std::string_view text = java_trim(c.subject_text());
  const std::int64_t radix = c.whole_arg(0);
  if (radix < 2 || radix > 36) c.fail(fmt::format("radix {} is not between 2 and 36", radix));
  std::string_view digits = text;
  const bool negative = !digits.empty() && digits.front() == '-';
  if (negative || (!digits.empty() && digits.front() == '+')) digits.remove_prefix(1);
  if (digits.empty()) c.fail(fmt::format("'{}' is not a number in base {}", text, radix));
  std::uint64_t value = 0;
  for (char ch : digits) {
    const char lower = ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;
    const std::size_t digit = kDigits.find(lower);
    if (digit == std::string_view::npos || digit >= static_cast<std::size_t>(radix)) {
      c.fail(fmt::format("'{}' is not a number in base {}", text, radix));
    }
    value = value * static_cast<std::uint64_t>(radix) + digit;
  }
  return Value::of_whole(negative ? static_cast<std::int64_t>(0 - value) : static_cast<std::int64_t>(value));
}

void prepare_math(const PrepareContext& context) {
  const ExpressionNode* name = context.literal_arg(0);
  if (name == nullptr) return;
  const MathOp* op = find_math(name->text);
  if (op == nullptr) {
    context.fail(0, fmt::format("unknown operation '{}' (one of: {})", name->text, math_names()));
  }
  const bool has_subject = context.node.subject != ExpressionNode::kNone;
  const bool has_arg = context.node.args.size() > 1;
  if ((op->arity == 0) != !has_subject || (op->arity == 2) != has_arg) {
    const char* usage = op->arity == 0   ? "takes no subject and no argument"
                        : op->arity == 1 ? "takes a subject and no argument"
                                         : "takes a subject and one argument";
    context.fail(0, fmt::format("'{}' {}", op->name, usage));
  }
}

Value math(const Call& c) {
  const std::string_view name = c.text_arg(0);
  const MathOp* op = find_math(name);
  if (op == nullptr) c.fail(fmt::format("unknown operation '{}' (one of: {})", name, math_names()));
  if (op->arity == 0) {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    return Value::of_decimal(std::uniform_real_distribution<double>(0.0, 1.0)(engine));
  }
  auto x = el::to_number(c.subject(), c);
  if (!x) return Value::null();
  std::optional<Number> y;
  if (op->arity == 2) {
    if (c.arg_count() < 2) c.fail(fmt::format("'{}' needs an argument", name));
    y = el::to_number(c.arg(1), c);
    if (!y) return Value::null();
  }
  // Like java.lang.Math's overloads: abs, max and min keep whole numbers whole; round gives a whole number.
  const bool whole = !x->is_decimal && (!y || !y->is_decimal);
  if (whole && (name == "abs" || name == "max" || name == "min")) {
    if (name == "abs")
      return Value::of_whole(x->whole < 0 ? wrapping(0 - static_cast<std::uint64_t>(x->whole)) : x->whole);
    return Value::of_whole(name == "max" ? std::max(x->whole, y->whole) : std::min(x->whole, y->whole));
  }
  const double result = op->fn(x->as_double(), y ? y->as_double() : 0.0);
  if (name == "round") return Value::of_whole(static_cast<std::int64_t>(result));
  return Value::of_decimal(result);
}

Value random(const Call& /*c*/) {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return Value::of_whole(static_cast<std::int64_t>(engine() >> 1U));
}

}  // namespace sluice::internal::el::fn
