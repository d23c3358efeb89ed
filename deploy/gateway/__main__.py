import sys

from deploy.gateway.gateway import main

sys.exit(main())
