import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { i18n } from '../i18n'
import ContactForm from '../components/ContactForm.vue'
import { nowText } from '../format'

describe('logging a contact takes seconds', () => {
  it('opens with now, phone and the cursor in the summary', () => {
    const wrapper = mount(ContactForm, { props: { clientId: 1 }, global: { plugins: [i18n] }, attachTo: document.body })
    const at = wrapper.get('[data-testid="contact-at"]').element as HTMLInputElement
    expect(at.value.slice(0, 13)).toBe(nowText().slice(0, 13))
    expect((wrapper.get('[data-testid="contact-channel"]').element as HTMLSelectElement).value).toBe('phone')
    expect(document.activeElement).toBe(wrapper.get('[data-testid="contact-summary"]').element)
    expect(wrapper.find('[data-testid="contact-response-due"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('asks for a response date only for complaints', async () => {
    const wrapper = mount(ContactForm, { props: { clientId: 1 }, global: { plugins: [i18n] } })
    await wrapper.get('[data-testid="contact-complaint"]').setValue(true)
    expect(wrapper.find('[data-testid="contact-response-due"]').exists()).toBe(true)
  })
})
