// The `sluice` subcommands. Each returns the process exit code.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace sluice::cli {

// Exit codes, as documented in the README: a distinct code for "the flow is wrong" (as in Vector).
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitInvalid = 2;

struct CommonOptions {
  std::vector<std::filesystem::path> plugin_dirs;
  std::string log_level = "info";
};

int validate_command(const CommonOptions& common, const std::vector<std::filesystem::path>& files);

struct RunOptions {
  std::filesystem::path flow;
  std::filesystem::path data_dir = "sluice-data";
  bool until_idle = false;
  std::string idle_duration = "1s";
  std::filesystem::path summary_json;
  std::vector<std::string> settings;  // key=value overrides of the flow's settings
};
int run_command(const CommonOptions& common, const RunOptions& options);

int processors_command(const CommonOptions& common, bool json);

// Writes one Markdown page per loaded processor and service, and README.md, an index, into `out_dir`.
int docs_command(const CommonOptions& common, const std::filesystem::path& out_dir);

}  // namespace sluice::cli
