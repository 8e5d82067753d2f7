// `leadproc user create | set-password`: user accounts from the command line, for the first admin
// (README "First admin and demo logins") and for recovering a lost admin password. The password
// is read from standard input (one line; not echoed when stdin is a terminal), never from a flag,
// so it stays out of shell history and process listings.
#pragma once

#include <string>

#include "cli/settings.h"

namespace leadproc::cli {

struct UserCommand {
  std::string email;
  std::string department = "ADMIN";  // create only
  std::string first_name;            // create only; optional
  std::string last_name;             // create only; optional
};

// Creates an active user with a password. Exit code 0, or 1 with the reason on stderr.
int create_user_command(const Settings& settings, const UserCommand& cmd);

// Sets the password of the (non-deleted) user with this email and ends their sessions.
int set_password_command(const Settings& settings, const UserCommand& cmd);

}  // namespace leadproc::cli
