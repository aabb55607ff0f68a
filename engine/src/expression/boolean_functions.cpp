// Checks and logic. `and`, `or` and `ifElse` evaluate only the arguments they need, as NiFi's do, so a
// routing rule may guard a conversion: ${kwh:isEmpty():or(${kwh:toNumber():gt(100)})}.
#include <cmath>

#include "expression/functions.hpp"

namespace sluice::internal::el::fn {

namespace {

// Equal as NiFi compares: numbers by value when both sides are numbers, else by text.
bool same(const Call& c, const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return a.is_null() && b.is_null();
  if ((a.is_number() || a.type == Type::kDate) && (b.is_number() || b.type == Type::kDate)) {
    if (a.type == Type::kDecimal || b.type == Type::kDecimal) {
      auto x = to_number(a, c);
      auto y = to_number(b, c);
      return x->as_double() == y->as_double();
    }
    return a.whole == b.whole;
  }
  std::string& left = c.buffer();
  std::string& right = c.buffer();
  return text_of(a, left) == text_of(b, right);
}

// -1, 0, 1; nullopt when either side is null.
std::optional<int> compare(const Call& c) {
  auto left = to_number(c.subject(), c);
  if (!left) return std::nullopt;
  auto right = to_number(c.arg(0), c);
  if (!right) return std::nullopt;
  if (!left->is_decimal && !right->is_decimal) {
    return left->whole < right->whole ? -1 : (left->whole > right->whole ? 1 : 0);
  }
  const double x = left->as_double();
  const double y = right->as_double();
  return x < y ? -1 : (x > y ? 1 : 0);
}

Value compared(const Call& c, bool (*holds)(int)) {
  auto order = compare(c);
  return Value::of_bool(order.has_value() && holds(*order));
}

}  // namespace

Value is_null(const Call& c) {
  return Value::of_bool(c.subject().is_null());
}

Value not_null(const Call& c) {
  return Value::of_bool(!c.subject().is_null());
}

Value is_empty(const Call& c) {
  return Value::of_bool(c.subject().is_null() || java_trim(c.subject_text()).empty());
}

Value equals(const Call& c) {
  if (c.subject().is_null()) return Value::of_bool(false);
  return Value::of_bool(same(c, c.subject(), c.arg(0)));
}

Value equals_ignore_case(const Call& c) {
  if (c.subject().is_null()) return Value::of_bool(false);
  return Value::of_bool(iequals(c.subject_text(), c.text_arg(0)));
}

Value gt(const Call& c) {
  return compared(c, [](int o) { return o > 0; });
}
Value ge(const Call& c) {
  return compared(c, [](int o) { return o >= 0; });
}
Value lt(const Call& c) {
  return compared(c, [](int o) { return o < 0; });
}
Value le(const Call& c) {
  return compared(c, [](int o) { return o <= 0; });
}

Value logical_and(const Call& c) {
  auto subject = to_bool(c.subject());
  if (!subject) return Value::null();
  if (!*subject) return Value::of_bool(false);
  auto other = to_bool(c.arg(0));
  return other ? Value::of_bool(*other) : Value::null();
}

Value logical_or(const Call& c) {
  auto subject = to_bool(c.subject());
  if (!subject) return Value::null();
  if (*subject) return Value::of_bool(true);
  auto other = to_bool(c.arg(0));
  return other ? Value::of_bool(*other) : Value::null();
}

Value logical_not(const Call& c) {
  auto subject = to_bool(c.subject());
  return subject ? Value::of_bool(!*subject) : Value::null();
}

Value if_else(const Call& c) {
  return to_bool(c.subject()).value_or(false) ? c.arg(0) : c.arg(1);
}

Value in(const Call& c) {
  if (c.subject().is_null()) return Value::of_bool(false);
  const std::string_view s = c.subject_text();
  for (std::size_t i = 0; i < c.arg_count(); ++i) {
    if (c.text_arg(i) == s) return Value::of_bool(true);
  }
  return Value::of_bool(false);
}

}  // namespace sluice::internal::el::fn
