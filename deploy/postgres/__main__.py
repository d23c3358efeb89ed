import sys

from deploy.postgres.cluster import main

sys.exit(main())
