#!/usr/bin/env python
"""Django's command line for Jixiao (the same as the ``jixiao`` command)."""

from jixiao.cli import main

if __name__ == "__main__":
    main()
