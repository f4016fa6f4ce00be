# emsdk-env.sh: source me. Makes `emcc` and `emcmake` available:
#   1. an activated emsdk when EMSDK is set;
#   2. else an emcc already on PATH;
#   3. else, as root on Debian/Ubuntu, Debian's `emscripten` package (3.1.6 on
#      Debian 12; emsdk's own downloader cannot reach its servers here);
#   4. else it prints what to install and returns 1.
# Debian's emscripten runs its JS optimizer with the system node and finds
# `acorn` only through NODE_PATH=/usr/share/nodejs, which this exports.

xent_find_emscripten() {
  if [ -n "${EMSDK:-}" ] && [ -f "$EMSDK/emsdk_env.sh" ]; then
    # shellcheck disable=SC1091
    . "$EMSDK/emsdk_env.sh" >/dev/null 2>&1
  fi
  if ! command -v emcc >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "xent: installing Debian's emscripten package" >&2
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq emscripten >/dev/null) || return 1
    else
      echo "xent: Emscripten not found. Install Debian's package (sudo apt-get install emscripten)" >&2
      echo "      or activate an emsdk (source /path/to/emsdk/emsdk_env.sh), then try again." >&2
      return 1
    fi
  fi
  case "$(readlink -f "$(command -v emcc)")" in
    /usr/share/emscripten/*)
      if [ -d /usr/share/nodejs/acorn ]; then
        case ":${NODE_PATH:-}:" in
          *:/usr/share/nodejs:*) ;;
          *) export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}" ;;
        esac
      fi
      ;;
  esac
  return 0
}

xent_find_emscripten
