// Rules for turning a FlowFile's `filename` attribute into a file inside a chosen directory. The attribute
// comes from upstream systems, so it must never be able to name a file outside that directory.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::standard {

// Why `name` cannot be used as a single file name inside a directory, or nullopt when it can: empty,
// "." or "..", absolute, containing '/' or a NUL byte, or longer than a file name may be.
std::optional<std::string> unsafe_filename_reason(std::string_view name);

// The hidden sibling a file is written to before it is renamed into place. Dot-prefixed so that GetFile's
// default filter and most directory watchers ignore it; `unique` (a FlowFile uuid) keeps concurrent writers
// of the same name apart. Always a safe file name when `final_name` is one.
std::string temp_filename(std::string_view final_name, std::string_view unique);

// The fixed start of a directory expression (before its first `${`, `$${` being an escaped literal), cut
// back to its last '/': the root that every directory the expression evaluates to must stay inside.
// "/data/out/${region}" -> "/data/out/", "out-${x}" -> "", "/data" -> "/data".
std::string static_root(std::string_view directory_expression);

// Why `dir` (a directory computed from attributes) is outside `root`, or nullopt when it is inside. Both
// are made absolute against the working directory (an empty root is the working directory itself) and
// normalized ('.' and '..' resolved), then compared component by component; with `resolve_links`, existing
// symbolic links are resolved too, so that a link inside the root cannot lead out of it.
std::optional<std::string> directory_escape_reason(const std::filesystem::path& root,
                                                   const std::filesystem::path& dir, bool resolve_links);

// "0644", "644", "2775": up to four octal digits. nullopt for anything else.
std::optional<std::filesystem::perms> parse_permissions(std::string_view octal);

}  // namespace sluice::standard
