select
    feed,
    file_path,
    period,
    sha256,
    modified_at
from {{ source('ingestion', 'manifest') }}
where status = 'loaded'
  and is_current
