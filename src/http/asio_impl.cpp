// The one translation unit that compiles Asio and Beast (BOOST_ASIO_SEPARATE_COMPILATION and
// BOOST_BEAST_SEPARATE_COMPILATION are set for leadproc_http and its users). Boost.JSON and
// Boost.URL are linked as libraries instead (Boost::json, Boost::url).
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
