from councilbook.cli import main

main()
