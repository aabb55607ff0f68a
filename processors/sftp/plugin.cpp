// The SFTP processors, exported as the plugin "sftp" (libssh).
#include "sluice/plugin.hpp"

#include "fetch_sftp.hpp"
#include "list_sftp.hpp"
#include "put_sftp.hpp"

SLUICE_PLUGIN("sftp", &sluice::sftp::put_sftp_definition(), &sluice::sftp::list_sftp_definition(),
              &sluice::sftp::fetch_sftp_definition())
