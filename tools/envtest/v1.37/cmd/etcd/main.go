// Command etcd is upstream go.etcd.io/etcd/server/v3/etcdmain,
// built from the module version pinned in ../../go.mod.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
