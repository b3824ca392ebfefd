"""Every read of data sharing (R1.6), re-exported: `from ioc.sharing import selectors`.

Requests and grants are seen by the requesting agency, the dataset's owner and the territory roles; the rows of a
shared dataset are read only through a live grant (`records.py`).
"""

from ioc.sharing.selectors.records import (
    CursorError as CursorError,
)
from ioc.sharing.selectors.records import (
    Page as Page,
)
from ioc.sharing.selectors.records import (
    QueryError as QueryError,
)
from ioc.sharing.selectors.records import (
    shared_page as shared_page,
)
from ioc.sharing.selectors.requests import (
    GrantRefusal as GrantRefusal,
)
from ioc.sharing.selectors.requests import (
    access_request_get as access_request_get,
)
from ioc.sharing.selectors.requests import (
    access_request_list as access_request_list,
)
from ioc.sharing.selectors.requests import (
    dataset_for_reading as dataset_for_reading,
)
from ioc.sharing.selectors.requests import (
    grant_for_read as grant_for_read,
)
from ioc.sharing.selectors.requests import (
    grant_get as grant_get,
)
from ioc.sharing.selectors.requests import (
    grant_list as grant_list,
)
from ioc.sharing.selectors.requests import (
    inbox as inbox,
)
from ioc.sharing.selectors.requests import (
    requestable_datasets as requestable_datasets,
)
from ioc.sharing.selectors.requests import (
    sharing_terms as sharing_terms,
)
from ioc.sharing.selectors.requests import (
    sharing_work_items as sharing_work_items,
)
