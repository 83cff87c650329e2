from reuse.cli import main

main()
