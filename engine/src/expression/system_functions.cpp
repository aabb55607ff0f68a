// Values from outside the FlowFile: identifiers, the host's name, random numbers, and literal().
#include <array>
#include <climits>
#include <unistd.h>

#include "core/flowfile_record.hpp"
#include "expression/functions.hpp"

namespace sluice::internal::el::fn {

Value uuid(const Call& c) {
  std::string& out = c.buffer();
  out = uuid_to_string(random_uuid());
  return Value::string(out);
}

Value hostname(const Call& c) {
  // The name cannot change under a running engine in any way that matters to a flow: read it once.
  static const std::string kName = [] {
    std::array<char, HOST_NAME_MAX + 1> name{};
    if (gethostname(name.data(), name.size()) != 0) return std::string("localhost");
    name.back() = '\0';
    return std::string(name.data());
  }();
  (void)c;
  return Value::string(kName);
}

Value literal(const Call& c) {
  return c.arg(0);
}

}  // namespace sluice::internal::el::fn
