// sluice: validate and run flows, list processors and services, generate their documentation, query
// provenance.
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/allocator.hpp"
#include "cli/commands.hpp"
#include "cli/plugins.hpp"
#include "cli/provenance_commands.hpp"

int main(int argc, char** argv) {
  using namespace sluice::cli;
  keep_large_allocations_in_heap();
  CLI::App app{"sluice: a flow-based data routing engine"};
  app.require_subcommand(1);
  CommonOptions common;
  // One directory per --plugins, so that `run --plugins DIR flow.yaml` leaves the flow to the positional.
  auto add_plugins_option = [&](CLI::App& to) {
    to.add_option("--plugins", common.plugin_dirs, "Extra plugin directory (repeatable)")
        ->allow_extra_args(false);
  };
  add_plugins_option(app);
  app.add_option("--log-level", common.log_level, "trace, debug, info, warn, error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));

  std::vector<std::filesystem::path> validate_files;
  auto* validate =
      app.add_subcommand("validate", "Check flows; exit 2 with FILE:LINE:COL: message lines if invalid");
  validate->add_option("flows", validate_files, "Flow files")->required()->check(CLI::ExistingFile);

  RunOptions run;
  auto* run_cmd = app.add_subcommand("run", "Run a flow");
  run_cmd->add_option("flow", run.flow, "Flow file")->required()->check(CLI::ExistingFile);
  run_cmd->add_option("--data-dir", run.data_dir, "Repositories directory")->capture_default_str();
  run_cmd
      ->add_option("--until-idle", run.idle_duration,
                   "Exit once every queue is empty and nothing happened for this long (default 1s)")
      ->expected(0, 1)
      ->default_str("1s");
  run_cmd->add_option("--summary-json", run.summary_json, "Write per-processor counts as JSON at exit");
  run_cmd->add_option("--set", run.settings, "Override a flow setting: key=value (e.g. durability=batch)");
  std::string durability;
  std::string threads;
  run_cmd->add_option("--durability", durability, "Override settings.durability: fsync, batch or none");
  run_cmd->add_option("--threads", threads, "Override settings.threads");
  for (auto* sub : {validate, run_cmd}) {
    add_plugins_option(*sub);
    sub->add_option("--log-level", common.log_level, "trace, debug, info, warn, error");
  }

  bool json = false;
  auto* processors = app.add_subcommand(
      "processors", "List the processors and controller services the loaded plugins provide");
  processors->add_flag("--json", json, "Every spec in full, as JSON");
  add_plugins_option(*processors);

  std::filesystem::path docs_dir;
  auto* docs = app.add_subcommand("docs", "Write a Markdown page per processor and service, and an index");
  docs->add_option("--out", docs_dir, "Output directory (created if missing)")->required();
  add_plugins_option(*docs);

  ProvenanceCommands provenance(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitInvalid;
  }
  configure_logging(common.log_level);
  try {
    if (*validate) return validate_command(common, validate_files);
    if (*run_cmd) {
      run.until_idle = run_cmd->count("--until-idle") > 0;
      if (run.idle_duration.empty()) run.idle_duration = "1s";
      if (!durability.empty()) run.settings.push_back("durability=" + durability);
      if (!threads.empty()) run.settings.push_back("threads=" + threads);
      return run_command(common, run);
    }
    if (*processors) return processors_command(common, json);
    if (*docs) return docs_command(common, docs_dir);
    if (provenance.chosen()) return provenance.run();
  } catch (const std::exception& e) {
    std::cerr << "sluice: " << e.what() << '\n';
    return kExitError;
  }
  return kExitError;
}
