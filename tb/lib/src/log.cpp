#include "ncv/tb/log.h"

#include <cctype>
#include <cinttypes>
#include <cstdio>
#include <iostream>

namespace ncv::tb {

const char *severity_name(Severity s) {
  switch (s) {
    case Severity::kDebug: return "DEBUG";
    case Severity::kInfo: return "INFO";
    case Severity::kWarning: return "WARNING";
    case Severity::kError: return "ERROR";
    case Severity::kFatal: return "FATAL";
  }
  return "?";
}

std::string normalise_signature(const std::string &text) {
  std::string out;
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    const char c = text[i];
    if (c == '0' && i + 1 < n && (text[i + 1] == 'x' || text[i + 1] == 'X')) {
      i += 2;
      while (i < n && std::isxdigit(static_cast<unsigned char>(text[i]))) ++i;
      out += "<hex>";
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      while (i < n && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
      out += "<n>";
    } else if (c == '/' && (out.empty() || out.back() == ' ' || out.back() == '\'')) {
      while (i < n && !std::isspace(static_cast<unsigned char>(text[i])) && text[i] != '\'') ++i;
      out += "<path>";
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

Log &Log::get() {
  static Log log;
  return log;
}

void Log::open(const std::string &path) {
  file_.reset();
  if (!path.empty()) {
    file_ = std::make_unique<std::ofstream>(path, std::ios::out | std::ios::trunc);
    if (!*file_) {
      file_.reset();
      throw std::runtime_error("cannot open log file '" + path + "'");
    }
  }
}

void Log::close() {
  file_.reset();
}

void Log::reset_counts() {
  errors_ = warnings_ = 0;
  signature_.clear();
  first_error_.clear();
  first_error_ps_ = 0;
}

void Log::msg(Severity s, const std::string &id, const std::string &text) {
  const uint64_t ps = now_ps();
  if (s >= Severity::kError) {
    if (errors_++ == 0) {
      signature_ = id + ": " + normalise_signature(text);
      first_error_ = text;
      first_error_ps_ = ps;
    }
  } else if (s == Severity::kWarning) {
    ++warnings_;
  }
  if (s < min_) return;
  char stamp[48];
  std::snprintf(stamp, sizeof stamp, "%12.3f ns", static_cast<double>(ps) / 1000.0);
  const std::string line = std::string(stamp) + " " + severity_name(s) + " " + id + ": " + text + "\n";
  if (echo_) {
    std::cout << line;
    std::cout.flush();
  }
  if (file_) {
    *file_ << line;
    file_->flush();
  }
}

}  // namespace ncv::tb
