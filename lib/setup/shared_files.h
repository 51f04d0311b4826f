/* Names of the host-shared files and where the guest keeps them (upstream
 * dstack-types shared_filenames), shared by setup and the readers. */
#ifndef DS_SETUP_SHARED_FILES_H
#define DS_SETUP_SHARED_FILES_H

#define DS_APP_COMPOSE_NAME "app-compose.json"
#define DS_SYS_CONFIG_NAME ".sys-config.json"
#define DS_INSTANCE_INFO_NAME ".instance_info"
#define DS_ENCRYPTED_ENV_NAME ".encrypted-env"
#define DS_USER_CONFIG_NAME ".user-config"
#define DS_APP_KEYS_NAME ".appkeys.json"
#define DS_DECRYPTED_ENV_NAME ".decrypted-env"
#define DS_DECRYPTED_ENV_JSON_NAME ".decrypted-env.json"

#define DS_HOST_SHARED_DIR_NAME ".host-shared"
/* Where the guest reads its copy once setup is done; upstream's
 * DSTACK_HOST_SHARED_DIR overrides it (setup exports it pointing at
 * WORK/.host-shared while /dstack is not bound yet). */
#define DS_HOST_SHARED_DIR "/dstack/.host-shared"
#define DS_HOST_SHARED_DIR_ENV "DSTACK_HOST_SHARED_DIR"

#endif
