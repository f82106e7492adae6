import { unplugin } from './plugin/unplugin'

export default unplugin.rollup
