// Secrets in property values: `${env:NAME}` is the environment variable NAME and `${file:PATH}` the content
// of the file PATH (one trailing newline removed), resolved when the flow is loaded so that a flow file can
// be shared without its passwords. Only these two forms are taken; every other `${…}` is left for the
// expression language. A value marked sensitive in its spec is never printed by validation or logs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sluice::internal {

struct SecretError {
  std::size_t offset = 0;  // where the reference starts in the value (0-based)
  std::string message;
};

// The value with every secret reference replaced, or the first reference that cannot be resolved.
struct ResolvedValue {
  std::string text;
  std::optional<SecretError> error;
};
ResolvedValue resolve_secrets(std::string_view value);

// Whether the value refers to a secret at all (so that callers can skip the work).
bool has_secret_reference(std::string_view value);

// How a value is shown in a message: as written, or masked for sensitive properties.
std::string shown_value(std::string_view value, bool sensitive);

}  // namespace sluice::internal
