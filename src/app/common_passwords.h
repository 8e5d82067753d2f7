// The most common passwords, refused as new ones (password_policy_violation in passwords.h):
// src/app/common_passwords.txt, about 3,600 entries, embedded into the binary at build time.
// A guesser tries these first, so an account whose password is among them falls within the few
// attempts login throttling admits.
#pragma once

#include <string_view>

namespace leadproc {

// The text of common_passwords.txt: one password a line; lines starting with '#' are comments.
// Defined in a file generated at build time (cmake/embed_text.cmake).
std::string_view common_passwords_text();

// True iff `password` is on the list, ignoring ASCII case.
bool is_common_password(std::string_view password);

}  // namespace leadproc
