# What `cmake --install` puts on a system: dstack-util, and libdstack.so for
# applications: the guest-agent client and key expansion of
# include/dstack/dstack.h, its header and dstack.pc.
#
# The shared library is built from the few modules the client needs (not
# from the whole static libdstack), so an application in a container pulls
# in OpenSSL, jansson, libsecp256k1, libsodium (Ed25519 key checks) and
# msgpack-c (decoding Attest answers) only (libcurl is loaded on first use);
# a version script exports the dstack_* API and nothing else.
include(GNUInstallDirs)

file(GLOB DSTACK_CLIENT_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/lib/agent/*.c)
list(APPEND DSTACK_CLIENT_SOURCES
  ${CMAKE_SOURCE_DIR}/lib/attest/container.c
  ${CMAKE_SOURCE_DIR}/lib/attest/container_v1.c
  ${CMAKE_SOURCE_DIR}/lib/attest/container_v1_write.c
  ${CMAKE_SOURCE_DIR}/lib/attest/event.c
  ${CMAKE_SOURCE_DIR}/lib/attest/quote.c
  ${CMAKE_SOURCE_DIR}/lib/attest/runtime_event.c
  ${CMAKE_SOURCE_DIR}/lib/attest/sha384.c
  ${CMAKE_SOURCE_DIR}/lib/crypto/getkey.c
  ${CMAKE_SOURCE_DIR}/lib/crypto/k256.c
  ${CMAKE_SOURCE_DIR}/lib/crypto/kdf.c
  ${CMAKE_SOURCE_DIR}/lib/crypto/keccak.c
  ${CMAKE_SOURCE_DIR}/lib/crypto/kms_sig.c
  ${CMAKE_SOURCE_DIR}/lib/crypto/ossl.c
  ${CMAKE_SOURCE_DIR}/lib/crypto/sign.c
  ${CMAKE_SOURCE_DIR}/lib/net/curl_lib.c
  ${CMAKE_SOURCE_DIR}/lib/net/http.c
  ${CMAKE_SOURCE_DIR}/lib/util/buf.c
  ${CMAKE_SOURCE_DIR}/lib/util/cursor.c
  ${CMAKE_SOURCE_DIR}/lib/util/dynlib.c
  ${CMAKE_SOURCE_DIR}/lib/util/err.c
  ${CMAKE_SOURCE_DIR}/lib/util/b64.c
  ${CMAKE_SOURCE_DIR}/lib/util/file.c
  ${CMAKE_SOURCE_DIR}/lib/util/hex.c
  ${CMAKE_SOURCE_DIR}/lib/util/jcs.c
  ${CMAKE_SOURCE_DIR}/lib/util/lines.c
  ${CMAKE_SOURCE_DIR}/lib/util/msgpack.c
  ${CMAKE_SOURCE_DIR}/lib/util/msgpack_write.c
  ${CMAKE_SOURCE_DIR}/lib/util/scale.c
  ${CMAKE_SOURCE_DIR}/lib/util/utf8.c)

add_library(dstack_client SHARED ${DSTACK_CLIENT_SOURCES})
target_include_directories(dstack_client PRIVATE ${CMAKE_SOURCE_DIR}/include ${CMAKE_SOURCE_DIR}/lib
  ${CURL_INCLUDE_DIRS})
target_link_libraries(dstack_client PRIVATE
  PkgConfig::OPENSSL PkgConfig::JANSSON PkgConfig::SECP256K1 PkgConfig::SODIUM
  PkgConfig::MSGPACK pthread ${CMAKE_DL_LIBS})
set(DSTACK_CLIENT_MAP ${CMAKE_SOURCE_DIR}/cmake/libdstack.map)
target_link_options(dstack_client PRIVATE -Wl,--version-script=${DSTACK_CLIENT_MAP})
if(NOT DSTACK_SANITIZE)
  # Every symbol resolved at link time (the sanitizer runtime lives in the program).
  target_link_options(dstack_client PRIVATE -Wl,--no-undefined)
endif()
set_target_properties(dstack_client PROPERTIES
  OUTPUT_NAME dstack
  VERSION ${PROJECT_VERSION}
  SOVERSION ${PROJECT_VERSION_MAJOR}
  LINK_DEPENDS ${DSTACK_CLIENT_MAP})

# dstack.pc finds its prefix relative to itself, so the tree can be
# installed with any --prefix or DESTDIR and moved afterwards.
file(RELATIVE_PATH DSTACK_PC_TO_PREFIX
  /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" DSTACK_PC_TO_PREFIX "${DSTACK_PC_TO_PREFIX}")
configure_file(${CMAKE_SOURCE_DIR}/cmake/dstack.pc.in ${CMAKE_BINARY_DIR}/dstack.pc @ONLY)

install(TARGETS dstack-util dstack-guest-agent RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS dstack_client LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES ${CMAKE_SOURCE_DIR}/include/dstack/dstack.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/dstack)
install(FILES ${CMAKE_BINARY_DIR}/dstack.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# Install into a temporary prefix and build a program against it through
# pkg-config, with the same compiler and sanitizer flags as this build.
if(DSTACK_SANITIZE)
  set(DSTACK_EXAMPLE_CFLAGS "-fsanitize=address,undefined -fno-omit-frame-pointer")
endif()
add_test(NAME install/pkgconfig
  COMMAND bash ${CMAKE_SOURCE_DIR}/tests/install/test_pkgconfig.sh)
set_tests_properties(install/pkgconfig PROPERTIES
  LABELS integration TIMEOUT 300
  ENVIRONMENT "DS_BUILD_DIR=${CMAKE_BINARY_DIR};DS_SOURCE_DIR=${CMAKE_SOURCE_DIR};DS_FIXTURES_DIR=${DSTACK_FIXTURES_DIR};CC=${CMAKE_C_COMPILER};DS_EXAMPLE_CFLAGS=${DSTACK_EXAMPLE_CFLAGS}")

# The same, against dstack-guest-agent on the TDX simulator, with the
# signature chain verified to the simulator's KMS root.
add_test(NAME install/agent_pkgconfig
  COMMAND bash ${CMAKE_SOURCE_DIR}/tests/install/test_agent_pkgconfig.sh)
set_tests_properties(install/agent_pkgconfig PROPERTIES
  LABELS integration TIMEOUT 300
  ENVIRONMENT "DS_BUILD_DIR=${CMAKE_BINARY_DIR};DS_SOURCE_DIR=${CMAKE_SOURCE_DIR};DS_FIXTURES_DIR=${DSTACK_FIXTURES_DIR};CC=${CMAKE_C_COMPILER};DS_EXAMPLE_CFLAGS=${DSTACK_EXAMPLE_CFLAGS}")
