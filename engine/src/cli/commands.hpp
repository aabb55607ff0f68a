// The `sluice` subcommands. Each returns the process exit code.
#pragma once

#include <cstdint>
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

// `sluice provenance ...`: every subcommand reads the store of one data directory.
enum class OutputFormat : std::uint8_t { kTable, kJson, kCsv, kDot };

struct ProvenanceSqlOptions {
  std::filesystem::path data_dir = "sluice-data";
  std::string sql;
  OutputFormat format = OutputFormat::kTable;
};
int provenance_sql_command(const ProvenanceSqlOptions& options);

struct ProvenanceQueryOptions {
  std::filesystem::path data_dir = "sluice-data";
  std::string flowfile;
  std::string component;
  std::string type;
  std::string since;
  std::string until;
  std::vector<std::string> attributes;  // K=V
  std::string uri;
  std::size_t limit = 100;
  bool oldest_first = false;
  OutputFormat format = OutputFormat::kTable;
};
int provenance_query_command(const ProvenanceQueryOptions& options);

struct ProvenanceLineageOptions {
  std::filesystem::path data_dir = "sluice-data";
  std::string uuid;
  OutputFormat format = OutputFormat::kTable;
};
int provenance_lineage_command(const ProvenanceLineageOptions& options);

struct ProvenanceContentOptions {
  std::filesystem::path data_dir = "sluice-data";
  std::uint64_t event_id = 0;
  bool input = false;
  bool output = false;
  std::filesystem::path out;  // empty: stdout
};
int provenance_content_command(const ProvenanceContentOptions& options);

struct ProvenanceReplayOptions {
  std::filesystem::path data_dir = "sluice-data";
  std::uint64_t event_id = 0;
};
int provenance_replay_command(const ProvenanceReplayOptions& options);

}  // namespace sluice::cli
