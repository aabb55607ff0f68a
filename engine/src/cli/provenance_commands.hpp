// `sluice provenance {sql,query,lineage,content,replay}`: the command-line side, registered on the app.
#pragma once

#include <memory>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"

namespace sluice::cli {

class ProvenanceCommands {
 public:
  explicit ProvenanceCommands(CLI::App& app);
  // True when the command line named `provenance`.
  [[nodiscard]] bool chosen() const;
  // Runs the chosen subcommand; returns the exit code.
  int run() const;

 private:
  CLI::App* provenance_ = nullptr;
  CLI::App* sql_ = nullptr;
  CLI::App* query_ = nullptr;
  CLI::App* lineage_ = nullptr;
  CLI::App* content_ = nullptr;
  CLI::App* replay_ = nullptr;
  ProvenanceSqlOptions sql_options_;
  ProvenanceQueryOptions query_options_;
  ProvenanceLineageOptions lineage_options_;
  ProvenanceContentOptions content_options_;
  ProvenanceReplayOptions replay_options_;
  bool sql_json_ = false;
  bool sql_csv_ = false;
  bool query_json_ = false;
  bool query_csv_ = false;
  bool lineage_json_ = false;
  bool lineage_dot_ = false;
};

}  // namespace sluice::cli
