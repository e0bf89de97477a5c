from .cli import main

main(prog_name="scripts/site serve")
