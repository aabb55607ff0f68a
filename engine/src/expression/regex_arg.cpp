#include "expression/regex_arg.hpp"

#include <memory>
#include <string>

#include <fmt/format.h>

namespace sluice::internal::el {

namespace {
std::shared_ptr<const std::regex> compile(std::string_view pattern, std::string& error) {
  try {
    return std::make_shared<const std::regex>(pattern.begin(), pattern.end(), std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    error = fmt::format("'{}' is not a valid regular expression: {}", pattern, e.what());
    return nullptr;
  }
}
}  // namespace

void prepare_regex_first_arg(const PrepareContext& context) {
  const ExpressionNode* literal = context.literal_arg(0);
  if (literal == nullptr) return;
  std::string error;
  auto re = compile(literal->text, error);
  if (!re) context.fail(0, error);
  context.node.prepared = re;
}

const std::regex& regex_arg(const Call& call, std::size_t index) {
  if (index == 0) {
    if (const auto* re = std::any_cast<std::shared_ptr<const std::regex>>(&call.node().prepared)) return **re;
  }
  thread_local std::string last_pattern;
  thread_local std::shared_ptr<const std::regex> last;
  const std::string_view pattern = call.text_arg(index);
  if (!last || pattern != last_pattern) {
    std::string error;
    last = compile(pattern, error);
    if (!last) call.fail(error);
    last_pattern.assign(pattern);
  }
  return *last;
}

}  // namespace sluice::internal::el
