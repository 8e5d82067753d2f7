#include "cli/user_command.h"

#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "app/users.h"
#include "cli/app_runtime.h"
#include "domain/text.h"

namespace leadproc::cli {
namespace {

// Turns terminal echo off while alive (when stdin is a terminal).
class NoEcho {
 public:
  NoEcho() {
    if (!::isatty(STDIN_FILENO) || ::tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    active_ = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
  }
  ~NoEcho() {
    if (active_) {
      ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
      std::cerr << "\n";
    }
  }
  NoEcho(const NoEcho&) = delete;
  NoEcho& operator=(const NoEcho&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

// One line of stdin without its line ending; nullopt at end of input.
std::optional<std::string> read_password() {
  if (::isatty(STDIN_FILENO)) std::cerr << "password: " << std::flush;
  NoEcho no_echo;
  std::string line;
  if (!std::getline(std::cin, line)) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

void print_error(std::string_view what, const Error& e) {
  std::cerr << "leadproc: " << what << ": " << e.detail << "\n";
  for (const auto& f : e.fields) std::cerr << "  " << f.field << ": " << f.reason << "\n";
}

}  // namespace

int create_user_command(const Settings& settings, const UserCommand& cmd) {
  auto runtime = AppRuntime::open(settings);
  if (!runtime) {
    print_error("user create", runtime.error());
    return 1;
  }
  auto password = read_password();
  if (!password) {
    std::cerr << "leadproc: user create: no password on standard input\n";
    return 1;
  }
  UserInput in;
  in.email = cmd.email;
  in.department = parse_department(cmd.department);
  if (!in.department)
    in.decode_errors.push_back({"department", "must be one of: " + join(all_departments())});
  in.password = *password;
  if (!cmd.first_name.empty()) in.first_name.value = cmd.first_name;
  if (!cmd.last_name.empty()) in.last_name.value = cmd.last_name;
  auto user = create_user((*runtime)->context(), in, std::nullopt);
  if (!user) {
    print_error("user create", user.error());
    return 1;
  }
  std::cout << "created user " << user->id << " (" << user->email << ", "
            << to_string(user->department) << ")\n";
  return 0;
}

int set_password_command(const Settings& settings, const UserCommand& cmd) {
  auto runtime = AppRuntime::open(settings);
  if (!runtime) {
    print_error("user set-password", runtime.error());
    return 1;
  }
  AppContext& ctx = (*runtime)->context();
  std::optional<User> found;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto u = tx.find_user_by_email(cmd.email);
    if (!u) return u.error();
    if (*u && !(*u)->deleted) found = **u;
    return ok_status();
  });
  if (!s) {
    print_error("user set-password", s.error());
    return 1;
  }
  if (!found) {
    std::cerr << "leadproc: user set-password: no user with email " << cmd.email << "\n";
    return 1;
  }
  auto password = read_password();
  if (!password) {
    std::cerr << "leadproc: user set-password: no password on standard input\n";
    return 1;
  }
  auto user = set_user_password(ctx, found->id, *password, std::nullopt);
  if (!user) {
    print_error("user set-password", user.error());
    return 1;
  }
  std::cout << "password set for " << user->email << "; their sessions were ended\n";
  return 0;
}

}  // namespace leadproc::cli
